import { createRouter, compileValidator, jsonBody, UnauthorisedError, type Identity } from '@repopulse/core';
import { type Router, type Request } from 'express';
import type { LoginService } from './login.js';
import './request-identity.js';

interface LoginBody {
  username: string;
  password: string;
}

const loginBodySchema = {
  type: 'object',
  required: ['username', 'password'],
  additionalProperties: false,
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 100 },
    password: { type: 'string', minLength: 1, maxLength: 1024 },
  },
};

/** Two short strings; anything bigger is not a login. */
const loginBodyLimitBytes = 4 * 1024;

/** IPv4 callers on a dual-stack socket appear as `::ffff:1.2.3.4`; one address, one count. */
function addressOf(request: Request): string {
  const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

/**
 * The proxy's own endpoints: `POST /auth/token` (username and password for a JWT) and `GET /auth/me`.
 * Mounted after the pipeline, which has authenticated the request and set `request.identity`.
 */
export function createAuthRoutes(options: { login: LoginService }): Router {
  const validateLogin = compileValidator<LoginBody>(loginBodySchema, 'The login');
  const router = createRouter();

  router.post('/auth/token', ...jsonBody({ limit: loginBodyLimitBytes }), async (request, response) => {
    const { username, password } = validateLogin(request.body);
    const token = await options.login.logIn({
      username,
      password,
      address: addressOf(request),
      requestId: request.requestId,
    });
    // A token must not be kept by caches on the way (RFC 6749 §5.1).
    response.set('Cache-Control', 'no-store').json(token);
  });

  router.get('/auth/me', (request, response) => {
    if (!request.identity) throw new UnauthorisedError('Credentials are required');
    const { kind, id, name, roles, scopes }: Identity = request.identity;
    response.set('Cache-Control', 'no-store').json({ kind, id, name, roles, scopes });
  });

  return router;
}

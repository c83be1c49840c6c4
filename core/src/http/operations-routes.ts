import type { Request, RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { identitySignatureHeader } from '../identity/forwarded-identity.js';
import { createRouter } from './create-router.js';
import { isInternalAddress } from './internal-address.js';
import { notFoundHandler } from './problem-details.js';

export type ReadinessCheck = () => Promise<void>;

/**
 * Whether a request comes straight from inside the network (Prometheus, a health check, the supervisor)
 * rather than from the public: a request the permission proxy forwarded carries its signature, and the
 * socket's address (never a forwarded header) must be loopback or private.
 */
export function isDirectInternalRequest(request: Request): boolean {
  return (
    request.get(identitySignatureHeader) === undefined && isInternalAddress(request.socket.remoteAddress)
  );
}

/** Answers 404, as if the route were not there, to a caller that `isInternal` does not accept. */
function internalCallersOnly(isInternal: (request: Request) => boolean): RequestHandler {
  return (request, response, next) => {
    if (isInternal(request)) next();
    else notFoundHandler(request, response, next);
  };
}

/**
 * `/health` says the process is alive; `/ready` says its dependencies answer (each check named, so a
 * failing one is seen at once); `/metrics` is the Prometheus text format. The last two tell a lot about
 * the platform's insides (addresses, error messages, traffic), so they answer only direct internal
 * callers, never a request that came in through the proxy's public routes (`/api/metrics`).
 */
export function operationsRoutes(options: {
  checks: Record<string, ReadinessCheck>;
  registry: Registry;
  /** Who counts as an internal caller; the permission proxy judges by the caller's address behind Traefik. */
  isInternal?: (request: Request) => boolean;
}) {
  const internalOnly = internalCallersOnly(options.isInternal ?? isDirectInternalRequest);
  const router = createRouter();
  router.get('/health', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/ready', internalOnly, async (_request, response) => {
    const results = await Promise.all(
      Object.entries(options.checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 2_000);
          return [name, { status: 'ok' }] as const;
        } catch (error) {
          return [name, { status: 'failing', error: (error as Error).message }] as const;
        }
      }),
    );
    const ready = results.every(([, result]) => result.status === 'ok');
    response
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) });
  });
  router.get('/metrics', internalOnly, async (_request, response) => {
    response.type(options.registry.contentType).send(await options.registry.metrics());
  });
  return router;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

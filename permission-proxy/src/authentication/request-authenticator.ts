import {
  AppError,
  checkApiKey,
  UnauthorisedError,
  UnavailableError,
  type ApiKeyUsageTracker,
  type Identity,
  type Logger,
  type Queryable,
} from '@repopulse/core';
import type { Request } from 'express';
import { Passport } from 'passport';
import { Strategy as CustomStrategy } from 'passport-custom';
import type { RequestAuthenticator } from '../contracts.js';
import { readCredential } from './request-credentials.js';
import type { ApiKeyLookup } from './api-key-lookup.js';
import type { TokenService } from './token-service.js';
import type { UserLookup } from './user-lookup.js';

export interface RequestAuthenticatorOptions {
  database: Queryable;
  /** Reads API keys; `database` is used directly when absent. */
  apiKeys?: ApiKeyLookup;
  tokens: TokenService;
  users: UserLookup;
  apiKeyUsage: ApiKeyUsageTracker;
  logger: Logger;
}

type Verified = (error: unknown, identity?: Identity | false) => void;

/**
 * Passport with two strategies, API key then JWT, each passing (`false`) on a request that does not carry
 * its kind of credential and failing with an error on one that carries a bad one. Its own Passport
 * instance, never the module's singleton, so two apps in one process (tests) share no strategies; no
 * sessions, no `initialize()`: every request proves itself.
 */
export function createRequestAuthenticator(options: RequestAuthenticatorOptions): RequestAuthenticator {
  const passport = new Passport();
  passport.use('api-key', new CustomStrategy((request, done) => settle(apiKeyIdentity(request), done)));
  passport.use('jwt', new CustomStrategy((request, done) => settle(tokenIdentity(request), done)));

  async function apiKeyIdentity(request: Request): Promise<Identity | false> {
    const credential = readCredential(request);
    if (credential?.kind !== 'api-key') return false;
    const check = await (options.apiKeys
      ? options.apiKeys.check(credential.key)
      : checkApiKey(options.database, credential.key));
    if (check.status === 'expired') throw new UnauthorisedError('The API key has expired');
    if (check.status !== 'valid') throw new UnauthorisedError('The API key is invalid');
    options.apiKeyUsage.keyUsed(check.identity.id);
    return check.identity;
  }

  async function tokenIdentity(request: Request): Promise<Identity | false> {
    const credential = readCredential(request);
    if (credential?.kind !== 'jwt') return false;
    const { userId, tokenVersion } = options.tokens.verify(credential.token);
    let user = await options.users.find(userId);
    // Issued by another replica after a change this one has not heard of yet: the row decides, not the
    // cache (else a fresh login would be refused for a moment after a password change).
    if (user && tokenVersion > user.tokenVersion) user = await options.users.refresh(userId);
    // A deleted or disabled user's tokens stop working as soon as the change is heard, not at their expiry.
    if (!user || user.disabled) throw new UnauthorisedError('The token is invalid');
    // Issued before a password change, a disable or "sign out everywhere".
    if (tokenVersion !== user.tokenVersion)
      throw new UnauthorisedError('The token has been revoked: sign in again');
    return { kind: 'user', id: user.id, name: user.username, roles: user.roles, scopes: user.scopes };
  }

  function settle(identity: Promise<Identity | false>, done: Verified): void {
    identity.then(
      (found) => done(null, found),
      (error: unknown) => done(error),
    );
  }

  const authenticateWithPassport = (request: Request) =>
    new Promise<Identity | undefined>((resolve, reject) => {
      const middleware = passport.authenticate(
        ['api-key', 'jwt'],
        { session: false },
        (error: unknown, identity: Identity | false | undefined) => {
          if (error) reject(error);
          else resolve(identity || undefined);
        },
      ) as (request: Request, response: unknown, next: (error?: unknown) => void) => void;
      middleware(request, request.res, reject);
    });

  return {
    async authenticate(request) {
      try {
        return await authenticateWithPassport(request);
      } catch (error) {
        if (error instanceof AppError) throw error;
        // The credentials could not be checked (the database is away): not the client's fault, not a 500.
        options.logger.warn('cannot check credentials', { error, requestId: request.requestId });
        throw new UnavailableError('Credentials cannot be checked now');
      }
    },
  };
}

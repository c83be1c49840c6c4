import { randomUUID } from 'node:crypto';
import { UnauthorisedError, type Identity } from '@repopulse/core';
import jwt from 'jsonwebtoken';
import type { TokenKeys } from './token-keys.js';

/** The body of `POST /auth/token`'s answer (RFC 6749 §5.1). */
export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** What a verified token says: whose it is. Roles are not taken from it; they are read from the user row. */
export interface VerifiedToken {
  userId: string;
  /** The user's token version when it was issued (claim `ver`; 0 for tokens from before there was one). */
  tokenVersion: number;
  tokenId: string;
  expiresAt: Date;
}

export interface TokenService {
  /** A token for the user, carrying their current token version (`users.token_version`). */
  issue(user: Identity, tokenVersion?: number): IssuedToken;
  /** Throws UnauthorisedError ("expired" or "invalid", nothing more precise) for any token it refuses. */
  verify(token: string): VerifiedToken;
}

export interface TokenServiceOptions {
  keys: TokenKeys;
  issuer: string;
  audience: string;
  lifetimeSeconds: number;
  /** Tests move the clock to issue tokens that are already expired. */
  now?: () => number;
}

export function createTokenService(options: TokenServiceOptions): TokenService {
  const { keys, issuer, audience, lifetimeSeconds } = options;
  const now = options.now ?? Date.now;
  const signingKey = keys.algorithm === 'HS256' ? keys.secret : keys.privateKey;
  const verifyingKey = keys.algorithm === 'HS256' ? keys.secret : keys.publicKey;
  // `algorithms` is what stops `alg: none` and algorithm confusion: whatever the header claims, only this
  // one algorithm with this one key is tried.
  const verifyOptions: jwt.VerifyOptions & { complete: false } = {
    algorithms: [keys.algorithm],
    issuer,
    audience,
    complete: false,
  };

  return {
    issue(user, tokenVersion = 0) {
      if (user.kind !== 'user') throw new Error('tokens are issued to users, not to API keys');
      const access_token = jwt.sign({ iat: Math.floor(now() / 1000), ver: tokenVersion }, signingKey, {
        algorithm: keys.algorithm,
        expiresIn: lifetimeSeconds,
        issuer,
        audience,
        subject: user.id,
        jwtid: randomUUID(),
      });
      return { access_token, token_type: 'Bearer', expires_in: lifetimeSeconds };
    },

    verify(token) {
      let claims: jwt.JwtPayload;
      try {
        const verified = jwt.verify(token, verifyingKey, {
          ...verifyOptions,
          clockTimestamp: Math.floor(now() / 1000),
        });
        if (typeof verified === 'string') throw new Error('not a JSON claims set');
        claims = verified;
      } catch (error) {
        if (error instanceof jwt.TokenExpiredError) throw new UnauthorisedError('The token has expired');
        throw new UnauthorisedError('The token is invalid');
      }
      const { sub, jti, exp, ver = 0 } = claims as jwt.JwtPayload & { ver?: unknown };
      if (typeof sub !== 'string' || !/^\d+$/.test(sub) || typeof jti !== 'string' || exp === undefined) {
        throw new UnauthorisedError('The token is invalid');
      }
      if (typeof ver !== 'number' || !Number.isSafeInteger(ver) || ver < 0) {
        throw new UnauthorisedError('The token is invalid');
      }
      return { userId: sub, tokenVersion: ver, tokenId: jti, expiresAt: new Date(exp * 1000) };
    },
  };
}

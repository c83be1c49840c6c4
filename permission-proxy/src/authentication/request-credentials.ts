import { apiKeyPrefix, UnauthorisedError } from '@repopulse/core';
import type { Request } from 'express';

/** The credential a request carries, told apart by its shape before anything is looked up. */
export type PresentedCredential = { kind: 'jwt'; token: string } | { kind: 'api-key'; key: string };

/**
 * `Authorization: Bearer <jwt>`, `Authorization: Bearer rp_…` or `X-API-Key: rp_…`; undefined when the
 * request carries none. A header that is there but unusable is an error, not "anonymous": a client that
 * meant to authenticate must hear that it did not.
 */
export function readCredential(request: Request): PresentedCredential | undefined {
  const authorization = request.get('authorization');
  const apiKeyHeader = request.get('x-api-key');
  if (authorization !== undefined && apiKeyHeader !== undefined) {
    throw new UnauthorisedError('Send one credential: Authorization or X-API-Key, not both');
  }
  if (apiKeyHeader !== undefined) {
    const key = apiKeyHeader.trim();
    if (key === '') throw new UnauthorisedError('The API key is invalid');
    return { kind: 'api-key', key };
  }
  if (authorization === undefined) return undefined;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
  if (!match) {
    throw new UnauthorisedError('Unsupported Authorization header: use "Bearer <token or API key>"');
  }
  const value = match[1]!;
  return value.startsWith(apiKeyPrefix) ? { kind: 'api-key', key: value } : { kind: 'jwt', token: value };
}

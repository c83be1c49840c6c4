import { ForbiddenError, identityHeaders, type Scopes } from '@repopulse/core';

export interface ScopedRequest {
  /** The query string to forward (with `limit` capped). */
  search: string;
  /** Headers telling the upstream the scopes, so list endpoints can narrow their answers. */
  headers: Record<string, string>;
}

/**
 * Where the read API names an owner in its path: `/v1/repositories/{owner}/…` and `/v1/organizations/{owner}`;
 * and in `repos=owner/name,…` of `/v1/compare`. A key scoped to some owners may name no other there.
 */
function ownersNamedBy(upstreamPath: string, query: URLSearchParams): string[] {
  const owners: string[] = [];
  const inPath = /^\/v1\/(?:repositories|organizations)\/([^/]+)/.exec(upstreamPath);
  if (inPath) owners.push(decodeURIComponent(inPath[1]!));
  for (const list of query.getAll('repos')) {
    for (const repository of list.split(',')) {
      const owner = repository.trim().split('/')[0];
      if (owner) owners.push(owner);
    }
  }
  return owners;
}

/**
 * Applies a caller's scopes to a read-API request: a value of a scoped query parameter (or an owner in the
 * path) outside the allowed ones is 403; `limit` above the cap is lowered to it. The scopes travel on as
 * headers, which upstreams trust because only the proxy reaches them and it strips any a client sent.
 */
export function applyScopes(scopes: Scopes, upstreamPath: string, search: string): ScopedRequest {
  const query = new URLSearchParams(search);
  const headers: Record<string, string> = {};
  for (const [parameter, allowedValues] of Object.entries(scopes.params ?? {})) {
    const allowed = new Set(allowedValues.map((value) => value.toLowerCase()));
    const named = [
      ...query.getAll(parameter),
      ...(parameter === 'owner' ? ownersNamedBy(upstreamPath, query) : []),
    ];
    const outside = named.find((value) => !allowed.has(value.toLowerCase()));
    if (outside !== undefined) {
      throw new ForbiddenError(
        `Your access is limited to ${parameter} ${allowedValues.join(', ')}; "${outside}" is outside it`,
      );
    }
    headers[`${identityHeaders.scopeParamPrefix}${parameter.toLowerCase()}`] = allowedValues.join(',');
  }
  if (scopes.maxLimit !== undefined) {
    headers[identityHeaders.scopeMaxLimit] = String(scopes.maxLimit);
    const limit = query.get('limit');
    if (limit !== null && (!/^\d+$/.test(limit) || Number(limit) > scopes.maxLimit)) {
      query.set('limit', String(scopes.maxLimit));
    }
  }
  const rebuilt = query.toString();
  return { search: rebuilt === '' ? '' : `?${rebuilt}`, headers };
}

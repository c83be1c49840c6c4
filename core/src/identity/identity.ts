/** Who a request comes from, once the permission proxy has authenticated it. */

export const roles = ['admin', 'analyst', 'supplier'] as const;
export type Role = (typeof roles)[number];

/**
 * Narrower than a role, per user or API key: `params` lists, per query parameter, the only values allowed
 * (`{ "owner": ["acme", "globex"] }`: other owners get 403 and every answer of the read API is narrowed to
 * these); `maxLimit` caps the length of every list the read API answers, `limit` given or not. The proxy
 * refuses what a request names outside them; the output gateway narrows what it reads (its README, "Scopes").
 */
export interface Scopes {
  params?: Record<string, string[]>;
  maxLimit?: number;
}

export interface Identity {
  kind: 'user' | 'api-key';
  /** The row id of the user or the key. */
  id: string;
  /** Username, or the key's name. */
  name: string;
  roles: Role[];
  scopes: Scopes;
}

/** `user:12` or `api-key:5`: the value of X-User-Id and of usage and audit rows. */
export function principalOf(identity: Identity): string {
  return `${identity.kind}:${identity.id}`;
}

/**
 * The headers the proxy sets for upstreams (after stripping any a client sent): identity, roles, scopes.
 * Upstreams trust them only with the proxy's signature over them (`forwarded-identity.ts`).
 */
export const identityHeaders = {
  userId: 'x-user-id',
  userName: 'x-user-name',
  userRoles: 'x-user-roles',
  requestId: 'x-request-id',
  /** The caller's address as the proxy judged it (behind its trusted hops), for per-address rules upstream. */
  clientAddress: 'x-client-address',
  /** `X-Scope-Param-Owner: acme,globex` per scoped query parameter. */
  scopeParamPrefix: 'x-scope-param-',
  scopeMaxLimit: 'x-scope-max-limit',
} as const;

import { identityHeaders, type Role, type Scopes } from '../identity/identity.js';
import {
  encodeHeaderText,
  identitySignatureHeader,
  signForwardedRequest,
} from '../identity/forwarded-identity.js';

/** The INTERNAL_SECRET of tests: modules under test check, and `proxiedFetch` signs, with it. */
export const testInternalSecret = 'internal-secret-of-the-tests-at-least-32-characters';

/** What a module under test is built with to check the permission proxy's signature. */
export const testForwardedIdentity = { secrets: [testInternalSecret] } as const;

/** A caller as the permission proxy would vouch for it; omitted: an anonymous caller. */
export interface TestCaller {
  /** `user:12` or `api-key:5`. */
  principal: string;
  name?: string;
  roles: Role[];
  scopes?: Scopes;
}

/**
 * The headers the permission proxy would send upstream for `caller` (its forwarder signs the same way),
 * for tests that talk to a module directly: the identity, the scopes, a request id and the signature.
 */
export function proxyHeadersFor(
  method: string,
  pathAndQuery: string,
  caller?: TestCaller,
  options: {
    requestId?: string;
    now?: number;
    secret?: string;
    address?: string;
    /** Identity or scope headers to sign as they are, as a proxy with a bug might send them. */
    rawIdentityHeaders?: Record<string, string>;
  } = {},
): Record<string, string> {
  const headers: Record<string, string> = {
    [identityHeaders.requestId]: options.requestId ?? `test-${Math.random().toString(36).slice(2)}`,
    [identityHeaders.clientAddress]: options.address ?? '127.0.0.1',
  };
  if (caller) {
    headers[identityHeaders.userId] = caller.principal;
    headers[identityHeaders.userName] = encodeHeaderText(caller.name ?? caller.principal);
    headers[identityHeaders.userRoles] = caller.roles.join(',');
    for (const [parameter, values] of Object.entries(caller.scopes?.params ?? {}))
      headers[`${identityHeaders.scopeParamPrefix}${parameter.toLowerCase()}`] = values.join(',');
    if (caller.scopes?.maxLimit !== undefined)
      headers[identityHeaders.scopeMaxLimit] = String(caller.scopes.maxLimit);
  }
  for (const [name, value] of Object.entries(options.rawIdentityHeaders ?? {}))
    headers[name.toLowerCase()] = value;
  headers[identitySignatureHeader] = signForwardedRequest({
    secret: options.secret ?? testInternalSecret,
    method,
    path: pathAndQuery,
    headers,
    now: options.now,
  });
  return headers;
}

/**
 * `fetch` as if through the permission proxy: the request carries the proxy's signed identity headers
 * for `caller` (anonymous when omitted) from `address` (127.0.0.1), over the URL's path and query as sent.
 */
export function proxiedFetch(
  url: string | URL,
  init: RequestInit & { caller?: TestCaller; address?: string } = {},
): Promise<Response> {
  const { caller, address, ...rest } = init;
  const target = new URL(url);
  const method = (rest.method ?? 'GET').toUpperCase();
  const headers = new Headers(rest.headers);
  // A request id the test chose is kept, as the proxy keeps a client's sane one.
  const requestId = headers.get(identityHeaders.requestId) ?? undefined;
  const signed = proxyHeadersFor(method, `${target.pathname}${target.search}`, caller, {
    requestId,
    address,
  });
  for (const [name, value] of Object.entries(signed)) headers.set(name, value);
  return fetch(target, { ...rest, headers });
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { identityHeaders, roles as knownRoles, type Role, type Scopes } from './identity.js';

/**
 * The identity the permission proxy forwards is signed: an HMAC-SHA256, with a secret only the modules
 * share (`INTERNAL_SECRET`), over the time, the method, the path and query as forwarded, the request id
 * and every identity and scope header. An upstream that gets a request without a valid, fresh signature
 * refuses it, so nobody who reaches a module around the proxy can name themselves admin, and a captured
 * request's headers cannot be moved to another path or replayed later than the allowed age.
 */
export const identitySignatureHeader = 'x-identity-signature';

/**
 * A user's or key's name may hold any character, a header value only Latin-1 without control characters:
 * the proxy sends the name percent-encoded, and the upstream reads it back.
 */
export function encodeHeaderText(text: string): string {
  return encodeURIComponent(text);
}

function decodeHeaderText(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** How old (or, for clock skew between hosts, how far ahead) a signature may be. */
export const defaultSignatureMaxAgeMs = 60_000;

/** The identity an upstream learns from a signed request; anonymous callers have no user. */
export interface ForwardedIdentity {
  requestId: string;
  /** The caller's address as the proxy saw it (after its trusted hops); empty if it sent none. */
  address: string;
  /** `user:12` / `api-key:5`, absent for anonymous callers (webhooks, static assets, login). */
  principal?: string;
  kind?: 'user' | 'api-key';
  id?: string;
  name?: string;
  roles: Role[];
  scopes: Scopes;
}

function scopeHeaderNames(headers: IncomingHttpHeaders | Record<string, string>): string[] {
  return Object.keys(headers)
    .map((name) => name.toLowerCase())
    .filter(
      (name) => name.startsWith(identityHeaders.scopeParamPrefix) || name === identityHeaders.scopeMaxLimit,
    )
    .sort();
}

function headerValue(headers: IncomingHttpHeaders | Record<string, string>, name: string): string {
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

/** What is signed: one field a line, so no value can pose as another field. */
function canonicalText(
  timestamp: string,
  method: string,
  path: string,
  headers: IncomingHttpHeaders | Record<string, string>,
): string {
  const lines = [
    'v1',
    timestamp,
    method.toUpperCase(),
    path,
    headerValue(headers, identityHeaders.requestId),
    headerValue(headers, identityHeaders.clientAddress),
    headerValue(headers, identityHeaders.userId),
    headerValue(headers, identityHeaders.userName),
    headerValue(headers, identityHeaders.userRoles),
    ...scopeHeaderNames(headers).map((name) => `${name}=${headerValue(headers, name)}`),
  ];
  // A line break inside a value would let it pose as the next field; header values cannot hold one, and
  // anything that tried is refused rather than signed.
  if (lines.some((line) => /[\r\n]/.test(line))) throw new Error('identity headers cannot hold line breaks');
  return lines.join('\n');
}

function hmac(secret: string, text: string): Buffer {
  return createHmac('sha256', secret).update(text).digest();
}

/**
 * The value of X-Identity-Signature for a request the proxy is about to forward: `t=<ms>,v1=<hex>`.
 * `headers` holds exactly the identity, scope and request-id headers that will be sent.
 */
export function signForwardedRequest(options: {
  secret: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  now?: number;
}): string {
  const timestamp = String(options.now ?? Date.now());
  const signature = hmac(
    options.secret,
    canonicalText(timestamp, options.method, options.path, options.headers),
  );
  return `t=${timestamp},v1=${signature.toString('hex')}`;
}

export type SignatureCheck = { valid: true; identity: ForwardedIdentity } | { valid: false; reason: string };

/**
 * Checks a request's signature against each secret (the first signs; the others are accepted while a new
 * secret rolls out) and, when it is valid and fresh, reads the identity it vouches for.
 */
export function verifyForwardedRequest(options: {
  secrets: readonly string[];
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  maxAgeMs?: number;
  now?: number;
}): SignatureCheck {
  const value = headerValue(options.headers, identitySignatureHeader);
  if (value === '') return { valid: false, reason: 'the request did not come through the permission proxy' };
  const match = /^t=(\d{1,16}),v1=([0-9a-f]{64})$/.exec(value);
  if (!match) return { valid: false, reason: 'the identity signature is malformed' };
  const timestamp = match[1]!;
  const age = (options.now ?? Date.now()) - Number(timestamp);
  if (Math.abs(age) > (options.maxAgeMs ?? defaultSignatureMaxAgeMs)) {
    return { valid: false, reason: 'the identity signature is stale' };
  }
  let text: string;
  try {
    text = canonicalText(timestamp, options.method, options.path, options.headers);
  } catch {
    return { valid: false, reason: 'the identity headers are malformed' };
  }
  const given = Buffer.from(match[2]!, 'hex');
  const matches = options.secrets.some((secret) => timingSafeEqual(hmac(secret, text), given));
  if (!matches) return { valid: false, reason: 'the identity signature does not match' };
  const identity = readForwardedIdentity(options.headers);
  if (!identity) return { valid: false, reason: 'the scope headers cannot be read' };
  return { valid: true, identity };
}

/**
 * The scope headers: `X-Scope-Param-<name>: v1,v2` per scoped parameter (an empty list allows nothing)
 * and `X-Scope-Max-Limit: N`. Undefined when one cannot be read: ignoring it would widen what the caller
 * sees, so the whole request is refused instead.
 */
function readScopes(headers: IncomingHttpHeaders): Scopes | undefined {
  const scopes: Scopes = {};
  for (const name of scopeHeaderNames(headers)) {
    const value = headerValue(headers, name).trim();
    if (name === identityHeaders.scopeMaxLimit) {
      if (!/^[1-9][0-9]{0,8}$/.test(value)) return undefined;
      scopes.maxLimit = Number(value);
      continue;
    }
    const parameter = name.slice(identityHeaders.scopeParamPrefix.length);
    const values = value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
    (scopes.params ??= {})[parameter] = values;
  }
  return scopes;
}

/** Reads the identity headers; only ever called on a request whose signature was checked. */
function readForwardedIdentity(headers: IncomingHttpHeaders): ForwardedIdentity | undefined {
  const scopes = readScopes(headers);
  if (!scopes) return undefined;
  const requestId = headerValue(headers, identityHeaders.requestId);
  const principal = headerValue(headers, identityHeaders.userId);
  const roles = headerValue(headers, identityHeaders.userRoles)
    .split(',')
    .map((role) => role.trim())
    .filter((role): role is Role => (knownRoles as readonly string[]).includes(role));
  const identity: ForwardedIdentity = {
    requestId,
    address: headerValue(headers, identityHeaders.clientAddress),
    roles,
    scopes,
  };
  const separator = principal.indexOf(':');
  if (separator > 0) {
    const kind = principal.slice(0, separator);
    if (kind === 'user' || kind === 'api-key') {
      identity.principal = principal;
      identity.kind = kind;
      identity.id = principal.slice(separator + 1);
      identity.name = decodeHeaderText(headerValue(headers, identityHeaders.userName)) || undefined;
    }
  }
  return identity;
}

import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/**
 * Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus those that name
 * themselves in `Connection`. A proxy must not pass them on: the client's `Connection: close` would end
 * our pooled upstream socket after every request, and an upstream's `Connection: close` while it shuts
 * down would end the client's connection to us.
 *
 * `transfer-encoding` is among them: Node frames each hop itself (chunked when no length is known), so
 * forwarding the header would only repeat or contradict what Node decides. `expect` goes too: Node's
 * server has already answered the client's `100-continue` before the request reached the proxy.
 */
const hopByHopHeaders = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
]);

function namedInConnection(connection: string | string[] | number | undefined): Set<string> {
  if (typeof connection !== 'string') return new Set();
  return new Set(
    connection
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter((token) => token !== ''),
  );
}

function isHopByHop(name: string, named: Set<string>): boolean {
  return hopByHopHeaders.has(name) || named.has(name);
}

/** Only the proxy speaks for the caller upstream, so whatever identity (or signature) a client claims is dropped. */
function isIdentityHeader(name: string): boolean {
  return (
    name.startsWith('x-user-') ||
    name.startsWith('x-scope-') ||
    name === 'x-identity-signature' ||
    name === 'x-client-address'
  );
}

/**
 * The headers of the upstream request: the client's, without hop-by-hop, identity and scope headers,
 * plus exactly the identity headers the caller prepared (names lower-cased so none is sent twice).
 */
export function upstreamRequestHeaders(
  incoming: IncomingHttpHeaders,
  identity: Record<string, string>,
): IncomingHttpHeaders {
  const named = namedInConnection(incoming.connection);
  const headers: IncomingHttpHeaders = {};
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined || isHopByHop(name, named) || isIdentityHeader(name)) continue;
    headers[name] = value;
  }
  for (const name in identity) headers[name.toLowerCase()] = identity[name];
  return headers;
}

/** The upstream's response headers for the client, without the ones about the upstream connection. */
export function clientResponseHeaders(upstream: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = namedInConnection(upstream.connection);
  const headers: OutgoingHttpHeaders = {};
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined || isHopByHop(name, named)) continue;
    headers[name] = value;
  }
  return headers;
}

import { byteSize, integer, port, text, url, variables, type VariableSpec } from '@repopulse/core';
import { authenticationVariables } from './authentication/index.js';

/** `none` (express `trust proxy` false), or addresses, subnets and express's names (`loopback`, …). */
function trustedProxies(): VariableSpec<string | false> {
  return {
    defaultValue: false,
    parse(raw) {
      if (raw.toLowerCase() === 'none') return false;
      if (!/^[0-9A-Za-z.:/, -]+$/.test(raw))
        throw new Error(
          'must be none, or comma-separated addresses, subnets or loopback/linklocal/uniquelocal',
        );
      return raw;
    },
  };
}

export const permissionProxyConfig = {
  PORT: port(8080),
  /** The only module meant to be reached from outside: it listens on every address unless told otherwise. */
  HOST: text({
    defaultValue: '0.0.0.0',
    pattern: /^[0-9A-Za-z.:-]+$/,
    description: 'an address to listen on',
  }),
  INTERNAL_SECRET: variables.INTERNAL_SECRET,
  DATABASE_URL: variables.DATABASE_URL,
  LOG_LEVEL: variables.LOG_LEVEL,
  SHUTDOWN_TIMEOUT_MS: variables.SHUTDOWN_TIMEOUT_MS,
  INPUT_GATEWAY_URL: url(['http', 'https'], 'http://127.0.0.1:3001'),
  OUTPUT_GATEWAY_URL: url(['http', 'https'], 'http://127.0.0.1:3002'),
  ADMIN_PANEL_URL: url(['http', 'https'], 'http://127.0.0.1:3003'),
  CLIENT_PANEL_URL: url(['http', 'https'], 'http://127.0.0.1:3004'),
  /** How long an upstream may take to answer before the caller gets 504. */
  UPSTREAM_TIMEOUT_MS: integer({ min: 100, max: 600_000, defaultValue: 30_000 }),
  /** Repeated denials (401, 403, 429) of one caller within this are written as one audit row. */
  AUDIT_DENIAL_WINDOW_MS: integer({ min: 100, max: 3_600_000, defaultValue: 60_000 }),
  /** Request bodies up to this size are received whole by the proxy before they go upstream. */
  CLIENT_BODY_BUFFER_BYTES: byteSize(1024 * 1024),
  /** How long such a body may take to arrive (408 past it). */
  CLIENT_BODY_TIMEOUT_MS: integer({ min: 100, max: 600_000, defaultValue: 10_000 }),
  /** How long a client may take to send a request's headers. */
  CLIENT_HEADERS_TIMEOUT_MS: integer({ min: 100, max: 600_000, defaultValue: 10_000 }),
  /** How long a whole request may take to arrive, a large streamed body included. */
  CLIENT_REQUEST_TIMEOUT_MS: integer({ min: 1_000, max: 3_600_000, defaultValue: 120_000 }),
  /** Slow request bodies (still arriving after a second) one client address may be sending at once. */
  MAX_PENDING_BODIES_PER_ADDRESS: integer({ min: 1, max: 100_000, defaultValue: 32 }),
  /** Sockets per upstream for large bodies streamed as they arrive (a pool apart from everything else). */
  UPSTREAM_STREAMING_SOCKETS: integer({ min: 1, max: 10_000, defaultValue: 64 }),
  /** How long admins' ACL edits may take to reach every replica. */
  ACL_CACHE_TTL_MS: integer({ min: 0, max: 600_000, defaultValue: 5_000 }),
  /** Past this, a rate-limit count in PostgreSQL counts as failed: the replica limits from memory meanwhile. */
  RATE_LIMIT_STORE_TIMEOUT_MS: integer({ min: 10, max: 60_000, defaultValue: 1_000 }),
  /**
   * Express `trust proxy`: the hops whose X-Forwarded-For names the caller (Traefik's subnet in Swarm).
   * `none` by default: the socket's address is the caller, since any client could send the header and
   * pick a fresh address for every request (and with it a fresh rate limit and login budget).
   */
  TRUSTED_PROXIES: trustedProxies(),
  ...authenticationVariables,
};

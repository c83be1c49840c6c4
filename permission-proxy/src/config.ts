import { integer, port, text, url, variables } from '@repopulse/core';
import { authenticationVariables } from './authentication/index.js';

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
  /** How long admins' ACL edits may take to reach every replica. */
  ACL_CACHE_TTL_MS: integer({ min: 0, max: 600_000, defaultValue: 5_000 }),
  /** Past this, a rate-limit count in PostgreSQL counts as failed: the replica limits from memory meanwhile. */
  RATE_LIMIT_STORE_TIMEOUT_MS: integer({ min: 10, max: 60_000, defaultValue: 1_000 }),
  /** Express `trust proxy`: the hops whose X-Forwarded-For names the caller (Traefik on the overlay network). */
  TRUSTED_PROXIES: text({ defaultValue: 'loopback, uniquelocal' }),
  ...authenticationVariables,
};

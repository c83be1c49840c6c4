import type { ConfigOf, Database, Logger } from '@repopulse/core';
import type { Express } from 'express';
import type { Registry } from 'prom-client';
import { createAclCache } from './access-control/acl-cache.js';
import { createApp } from './app.js';
import { createBatchedAuditTrail } from './audit/batched-audit-trail.js';
import { createAuthentication } from './authentication/index.js';
import type { permissionProxyConfig } from './config.js';
import { createForwarder } from './forwarding/index.js';
import { createIdentityChangeListener } from './identity-change-listener.js';
import { createSharedRateLimiter } from './rate-limits/shared-rate-limiter.js';
import { createUsageRecorder } from './usage/usage-recorder.js';

export type PermissionProxyConfig = ConfigOf<typeof permissionProxyConfig>;

export interface Proxy {
  app: Express;
  /**
   * Stops listening for changes, writes pending usage and audit rows and closes upstream sockets; the
   * caller closes the database.
   */
  stop(): Promise<void>;
}

/**
 * Builds the proxy from its config and database: authentication (creating the first admin), the ACL, rate
 * limits, usage, audit and forwarding. Throws ConfigError for key or password settings that cannot work.
 */
export async function createProxy(options: {
  config: PermissionProxyConfig;
  database: Database;
  logger: Logger;
  registry: Registry;
}): Promise<Proxy> {
  const { config, database, logger, registry } = options;
  const audit = createBatchedAuditTrail({ database, logger, denialWindowMs: config.AUDIT_DENIAL_WINDOW_MS });
  const authentication = createAuthentication({ config, database, audit, logger });
  await authentication.ensureFirstAdmin();
  const usage = createUsageRecorder({ database, logger });
  const upstreams = {
    'input-gateway': config.INPUT_GATEWAY_URL,
    'output-gateway': config.OUTPUT_GATEWAY_URL,
    'admin-panel': config.ADMIN_PANEL_URL,
    'client-panel': config.CLIENT_PANEL_URL,
  };
  const forwarder = createForwarder({
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    upstreams,
    identitySecret: config.INTERNAL_SECRET[0]!,
    maxStreamingSockets: config.UPSTREAM_STREAMING_SOCKETS,
    logger,
  });
  const acl = createAclCache({ database, ttlMs: config.ACL_CACHE_TTL_MS, logger });
  const changes = createIdentityChangeListener({
    databaseUrl: config.DATABASE_URL,
    caches: { ...authentication.caches, acl },
    logger,
  });
  changes.start();
  const app = createApp({
    database,
    authenticator: authentication.authenticator,
    authRoutes: authentication.authRoutes,
    acl,
    rateLimiter: createSharedRateLimiter({
      database,
      logger,
      storeTimeoutMs: config.RATE_LIMIT_STORE_TIMEOUT_MS,
    }),
    usage,
    audit,
    forwarder,
    upstreams,
    clientBodies: {
      bufferBytes: config.CLIENT_BODY_BUFFER_BYTES,
      timeoutMs: config.CLIENT_BODY_TIMEOUT_MS,
      maxPendingPerAddress: config.MAX_PENDING_BODIES_PER_ADDRESS,
    },
    trustedProxies: config.TRUSTED_PROXIES,
    logger,
    registry,
  });
  return {
    app,
    async stop() {
      await changes.stop();
      forwarder.close();
      await usage.stop();
      await audit.stop();
    },
  };
}

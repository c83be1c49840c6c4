import {
  createServiceApp,
  type Database,
  type ForwardedIdentityOptions,
  type CrawlTargetPolicy,
  type Logger,
  type OutboxRelay,
} from '@repopulse/core';
import type { Express } from 'express';
import type { Registry } from 'prom-client';
import { aclRulesRoutes } from './acl-rules/acl-rules-routes.js';
import { apiKeysRoutes } from './api-keys/api-keys-routes.js';
import { auditRoute } from './audit/audit-route.js';
import { crawlHostsRoutes } from './crawl-hosts/crawl-hosts-routes.js';
import { crawlRunsRoutes } from './crawl-runs/crawl-runs-routes.js';
import { deadLettersRoutes } from './dead-letters/dead-letters-routes.js';
import { requireAdmin } from './http/admin-identity.js';
import type { QueueStats } from './queues/queue-stats.js';
import { queuesRoute } from './queues/queues-route.js';
import { rejectedEventsRoutes } from './rejected-events/rejected-events-routes.js';
import { sourcePresetsRoute } from './sources/source-presets-route.js';
import { sourcesRoutes } from './sources/sources-routes.js';
import { webhookSecretRoutes } from './sources/webhook-secret-routes.js';
import { uiRoutes } from './ui/ui-routes.js';
import { upstreamHealthRoute } from './upstream-health/upstream-health-route.js';
import { usersRoutes } from './users/users-routes.js';

export interface AppDependencies {
  database: Database;
  logger: Logger;
  registry: Registry;
  /** Sends what crawl triggers and replays write to the outbox; nudged after each. */
  relay: Pick<OutboxRelay, 'nudge'>;
  queueStats: QueueStats;
  /** For /ready: the broker connection answers. */
  brokerCheck: () => Promise<void>;
  /** Where the permission proxy is reached from outside (webhook URLs). */
  publicUrl: string;
  /** The time zone cron reads schedules in: next run times are shown by it. */
  timezone: string;
  /** Where the built admin UI is (admin-panel/dist-ui). */
  uiDirectory: string;
  /** The permission proxy's signature, checked on every request. */
  forwardedIdentity: ForwardedIdentityOptions;
  /** What a git source may name (GIT_ALLOW_LOCAL decides local and private targets). */
  crawlTargets: CrawlTargetPolicy;
}

/** The admin API under `/api` (admins only) and the admin UI under `/admin/`, not listening. */
export function createApp(dependencies: AppDependencies): Express {
  const { database, logger, registry, relay, timezone } = dependencies;
  return createServiceApp({
    logger,
    registry,
    checks: { postgres: () => database.ping(), broker: dependencies.brokerCheck },
    forwardedIdentity: dependencies.forwardedIdentity,
    routes(app) {
      app.use('/api', requireAdmin);
      app.use(sourcesRoutes({ database, timezone, crawlTargets: dependencies.crawlTargets }));
      app.use(crawlHostsRoutes({ database }));
      app.use(webhookSecretRoutes({ database, publicUrl: dependencies.publicUrl }));
      app.use(sourcePresetsRoute());
      app.use(crawlRunsRoutes({ database, relay }));
      app.use(queuesRoute({ queueStats: dependencies.queueStats, database }));
      app.use(deadLettersRoutes({ database, relay }));
      app.use(rejectedEventsRoutes({ database }));
      app.use(upstreamHealthRoute({ database }));
      app.use(usersRoutes({ database }));
      app.use(apiKeysRoutes({ database }));
      app.use(aclRulesRoutes({ database }));
      app.use(auditRoute({ database }));
      app.use(uiRoutes({ directory: dependencies.uiDirectory }));
    },
  });
}

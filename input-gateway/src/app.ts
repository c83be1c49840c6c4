import {
  createServiceApp,
  type ForwardedIdentityOptions,
  type GenericEventBatch,
  type Logger,
  type MessagePublisher,
  type Validator,
} from '@repopulse/core';
import type { Registry } from 'prom-client';
import type { CrawlTargetCheckOptions } from './crawl-requests/crawl-target-check.js';
import { crawlRequestsRoute } from './crawl-requests/crawl-requests-route.js';
import { eventsRoute } from './events/events-route.js';
import { createIngestMetrics } from './ingest-metrics.js';
import { openApiRoute } from './openapi/openapi-route.js';
import { createFailingSenders, defaultFailingSenderLimits } from './webhooks/failing-senders.js';
import { webhooksRoute, type GithubWebhookValidators, type WebhookSecretLookup } from './webhooks/index.js';

export interface InputGatewayDependencies {
  publisher: MessagePublisher;
  brokerCheck: () => Promise<void>;
  validateBatch: Validator<GenericEventBatch>;
  maxBodyBytes: number;
  maxEvents: number;
  webhookValidators: GithubWebhookValidators;
  webhookSecrets: WebhookSecretLookup;
  webhookMaxBodyBytes: number;
  /** Failed signatures per sender address a minute before it is refused, and for how long (defaults: 20, 300 s). */
  webhookFailureLimits?: { failuresPerMinute: number; blockSeconds: number };
  /** What crawl requests may name: the target policy, GIT_ALLOW_LOCAL, the admins' git sources. */
  crawlTargets: CrawlTargetCheckOptions;
  logger: Logger;
  registry: Registry;
  /** The permission proxy's signature, checked on every request. */
  forwardedIdentity: ForwardedIdentityOptions;
}

/** The ingest API, without listening: tests mount it as it is. */
export function createApp(dependencies: InputGatewayDependencies) {
  const metrics = createIngestMetrics(dependencies.registry);
  return createServiceApp({
    logger: dependencies.logger,
    registry: dependencies.registry,
    checks: { rabbitmq: dependencies.brokerCheck },
    forwardedIdentity: dependencies.forwardedIdentity,
    routes(app) {
      app.use(eventsRoute({ ...dependencies, metrics }));
      app.use(crawlRequestsRoute({ ...dependencies, metrics }));
      app.use(
        webhooksRoute({
          publisher: dependencies.publisher,
          validators: dependencies.webhookValidators,
          secrets: dependencies.webhookSecrets,
          maxBodyBytes: dependencies.webhookMaxBodyBytes,
          failingSenders: createFailingSenders(
            dependencies.webhookFailureLimits ?? defaultFailingSenderLimits,
          ),
          registry: dependencies.registry,
          logger: dependencies.logger,
        }),
      );
      app.use(openApiRoute(dependencies));
    },
  });
}

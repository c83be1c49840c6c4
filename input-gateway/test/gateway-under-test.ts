import type { BrokerConnection } from '@repopulse/core';
import {
  createCrawlTargetPolicy,
  createGenericEventBatchValidator,
  startHttpServer,
  type RunningServer,
} from '@repopulse/core';
import {
  connectTestBroker,
  fixedHostResolver,
  removeTestTopology,
  testForwardedIdentity,
  testLogger,
  testQueuePrefix,
} from '@repopulse/core/testing';
import { Registry } from 'prom-client';
import { createApp } from '../src/app.js';
import type { CrawlTargetCheckOptions } from '../src/crawl-requests/crawl-target-check.js';
import {
  createGithubWebhookValidators,
  type GithubWebhookValidators,
  type WebhookSecretLookup,
} from '../src/webhooks/index.js';

/** The secret every delivery to this gateway is verified against (no database in these tests). */
export const testWebhookSecret = 'gateway-under-test-secret';
const fallbackOnly: WebhookSecretLookup = {
  candidatesFor: async () => ({
    candidates: [{ scope: 'fallback', secret: testWebhookSecret }],
    complete: true,
  }),
};
let validators: GithubWebhookValidators | undefined;

const retryDelaysMs = [1_000];

/** Without a database: github.com allowed, resolving to a public address (no DNS in the tests). */
const allowedHosts = async () => new Set(['github.com']);
const githubOnly: CrawlTargetCheckOptions = {
  policy: createCrawlTargetPolicy({
    allowLocal: false,
    allowedHosts,
    resolveHost: fixedHostResolver({ 'github.com': ['140.82.121.4'] }),
  }),
  allowedHosts,
  allowLocal: false,
  findGitSource: async () => undefined,
};

export interface GatewayUnderTest {
  base: string;
  broker: BrokerConnection;
  registry: Registry;
  stop(): Promise<void>;
}

/** The gateway app on a random port, publishing to its own queue prefix on the real broker. */
export async function startGatewayUnderTest(
  options: {
    maxEvents?: number;
    maxBodyBytes?: number;
    /** By default high enough that tests sending many bad signatures from one address are not refused. */
    webhookFailureLimits?: { failuresPerMinute: number; blockSeconds: number };
    crawlTargets?: CrawlTargetCheckOptions;
  } = {},
): Promise<GatewayUnderTest> {
  const prefix = testQueuePrefix();
  const logger = testLogger();
  const broker = await connectTestBroker({ logger, prefix, retryDelaysMs, confirmTimeoutMs: 5_000 });
  const registry = new Registry();
  const maxEvents = options.maxEvents ?? 10;
  const server: RunningServer = await startHttpServer(
    createApp({
      publisher: broker,
      brokerCheck: () => broker.check(),
      validateBatch: createGenericEventBatchValidator(maxEvents),
      maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
      maxEvents,
      webhookValidators: (validators ??= createGithubWebhookValidators()),
      webhookSecrets: fallbackOnly,
      webhookMaxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
      webhookFailureLimits: options.webhookFailureLimits ?? { failuresPerMinute: 100_000, blockSeconds: 1 },
      crawlTargets: options.crawlTargets ?? githubOnly,
      logger,
      registry,
      forwardedIdentity: testForwardedIdentity,
    }),
    0,
    '127.0.0.1',
  );
  return {
    base: `http://127.0.0.1:${server.port}`,
    broker,
    registry,
    async stop() {
      await server.close();
      await broker.close();
      await removeTestTopology(prefix, retryDelaysMs);
    },
  };
}

import type { BrokerConnection } from '@repopulse/core';
import { createGenericEventBatchValidator, startHttpServer, type RunningServer } from '@repopulse/core';
import {
  removeTestTopology,
  testLogger,
  testQueuePrefix,
  connectTestBroker,
  testForwardedIdentity,
} from '@repopulse/core/testing';
import { Registry } from 'prom-client';
import { createApp } from '../src/app.js';
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

import type { BrokerConnection } from '@repopulse/core';
import { createServiceApp, startHttpServer } from '@repopulse/core';
import {
  removeTestTopology,
  startTestBrokerProxy,
  testLogger,
  testQueuePrefix,
  type TcpProxy,
  connectTestBroker,
  testAmqpUrlVia,
  testForwardedIdentity,
} from '@repopulse/core/testing';
import { Registry } from 'prom-client';
import { createFailingSenders } from '../src/webhooks/failing-senders.js';
import {
  webhooksRoute,
  type GithubWebhookValidators,
  type WebhookSecretLookup,
} from '../src/webhooks/index.js';

export interface WebhookTestGateway {
  base: string;
  broker: BrokerConnection;
  /** The full name of the `ingest.github-webhook` queue of this gateway's own topology. */
  queue: string;
  /** Between the gateway and RabbitMQ, so a test can cut the network. */
  brokerProxy: TcpProxy;
  registry: Registry;
  close(): Promise<void>;
}

const retryDelaysMs = [1_000];

/**
 * The webhook route mounted in the frame every module shares (problem+json errors, /metrics), against
 * the real RabbitMQ under a queue prefix of its own. app.ts is left out on purpose: these tests pin the
 * route's behaviour whatever the composition root adds around it.
 */
export async function startWebhookTestGateway(options: {
  secrets: WebhookSecretLookup;
  validators: GithubWebhookValidators;
  maxBodyBytes?: number;
  /** By default high enough that tests sending many bad signatures from one address are not refused. */
  failureLimits?: { failuresPerMinute: number; blockSeconds: number };
}): Promise<WebhookTestGateway> {
  const logger = testLogger('input-gateway');
  const prefix = testQueuePrefix();
  const brokerProxy = await startTestBrokerProxy();
  const broker = await connectTestBroker({
    logger,
    url: testAmqpUrlVia(brokerProxy.port),
    prefix,
    retryDelaysMs,
    confirmTimeoutMs: 2_000,
    maxReconnectDelayMs: 500,
  });
  const registry = new Registry();
  const app = createServiceApp({
    logger,
    registry,
    checks: { rabbitmq: () => broker.check() },
    forwardedIdentity: testForwardedIdentity,
    routes(app) {
      app.use(
        webhooksRoute({
          publisher: broker,
          validators: options.validators,
          secrets: options.secrets,
          maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
          failingSenders: createFailingSenders(
            options.failureLimits ?? { failuresPerMinute: 100_000, blockSeconds: 1 },
          ),
          registry,
          logger,
        }),
      );
    },
  });
  const server = await startHttpServer(app, 0, '127.0.0.1');
  return {
    base: `http://127.0.0.1:${server.port}`,
    broker,
    queue: broker.names.queue('ingest.github-webhook'),
    brokerProxy,
    registry,
    async close() {
      await server.close();
      await broker.close();
      await brokerProxy.close();
      await removeTestTopology(prefix, retryDelaysMs);
    },
  };
}

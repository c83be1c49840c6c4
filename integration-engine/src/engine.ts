import type { BrokerConnection } from '@repopulse/core';
import {
  createGenericEventBatchValidator,
  createOutboxRelay,
  createQueueWorker,
  type Database,
  type Logger,
  type MessageHandler,
  type QueueWorker,
} from '@repopulse/core';
import type { Registry } from 'prom-client';
import { createEngineMetrics } from './engine-metrics.js';
import { createGithubWebhookHandler } from './github-webhooks/handle-github-webhook.js';
import { createIngestEventsHandler } from './ingest-events/handle-ingest-events.js';

export interface EngineOptions {
  database: Database;
  broker: BrokerConnection;
  logger: Logger;
  registry: Registry;
  prefetch: number;
  maxAttempts: number;
  retryDelaysMs: readonly number[];
}

export interface Engine {
  start(): Promise<void>;
  /** Stops consuming, lets in-flight messages commit, stops the relay. Safe to call twice. */
  stop(timeoutMs?: number): Promise<void>;
}

/** The workers of the engine, one per queue it handles, and the outbox relay that sends their follow-ups. */
export function createEngine(options: EngineOptions): Engine {
  const { database, broker, logger } = options;
  const metrics = createEngineMetrics(options.registry);
  const relay = createOutboxRelay({ database, publisher: broker, logger });
  // The engine re-validates what the gateway accepted; its cap is the schema's, not the gateway's.
  const handlers: Record<string, MessageHandler> = {
    'ingest.events': createIngestEventsHandler(createGenericEventBatchValidator(100_000)) as MessageHandler,
    'ingest.github-webhook': createGithubWebhookHandler(),
  };
  const workers: QueueWorker[] = Object.entries(handlers).map(([queue, handler]) =>
    createQueueWorker({
      queue,
      handler,
      database,
      broker,
      relay,
      logger,
      prefetch: options.prefetch,
      maxAttempts: options.maxAttempts,
      retryDelaysMs: options.retryDelaysMs,
      onOutcome: metrics.outcome(queue),
    }),
  );
  let stopped: Promise<void> | undefined;
  return {
    async start() {
      relay.start();
      for (const worker of workers) await worker.start();
    },
    stop(timeoutMs = 10_000) {
      stopped ??= (async () => {
        await Promise.all(workers.map((worker) => worker.stop(timeoutMs)));
        await relay.stop();
      })();
      return stopped;
    },
  };
}

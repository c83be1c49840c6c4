import type { Channel, ConsumeMessage } from 'amqplib';
import type { Database, DatabaseAvailability, Queryable } from '../db/index.js';
import { isDataError, isDatabaseConnectionError, isTransientDatabaseError, prepared } from '../db/index.js';
import type { Logger } from '../logging/index.js';
import { runWithContext } from '../logging/index.js';
import type { BrokerConnection, QueueConsumer } from './broker-connection.js';
import type { InvalidEnvelopeError } from './envelope.js';
import { createEnvelope, parseEnvelope, type Envelope } from './envelope.js';
import { writeToOutbox, type OutboxRelay } from './outbox.js';

/** A message to send once the handler's transaction commits. */
export interface FollowUp {
  type: string;
  payload: unknown;
  /** Pending follow-ups with the same key coalesce into one (e.g. `metrics.compute:<repository id>`). */
  coalesceKey?: string;
  /**
   * Sent this long after the commit at the earliest. With a coalesce key, every follow-up of that key
   * written meanwhile folds into the pending one, which keeps its time.
   */
  delayMs?: number;
}

export interface HandlerContext<Payload> {
  envelope: Envelope<Payload>;
  transaction: Queryable;
  logger: Logger;
  /**
   * Set on the run of a message right after one PostgreSQL refused for its data (`isDataError`), for
   * handlers whose worker `isolatesDataErrors`: the handler then writes its parts under savepoints, stores
   * those that succeed and records the rest as rejected, so one bad part does not fail the whole message.
   */
  isolating?: boolean;
}

/** A pure step: writes facts in the transaction it is given and returns the follow-up messages. */
export type MessageHandler<Payload = unknown> = (
  context: HandlerContext<Payload>,
) => Promise<FollowUp[] | void>;

export interface QueueWorkerOptions {
  queue: string;
  handler: MessageHandler;
  database: Database;
  broker: BrokerConnection;
  relay: OutboxRelay;
  logger: Logger;
  prefetch: number;
  maxAttempts: number;
  retryDelaysMs: readonly number[];
  /**
   * Shared by a process's workers: a message whose transaction could not reach PostgreSQL goes back to the
   * queue unspent, and every worker stops consuming until the database answers again. Without it such a
   * message is handed back after a second, and the next one tried.
   */
  databaseAvailability?: DatabaseAvailability;
  onOutcome?: (outcome: 'processed' | 'duplicate' | 'retried' | 'deferred' | 'dead-lettered') => void;
  /**
   * A message whose run PostgreSQL refused for its data is run again at once with `isolating` set, instead
   * of waiting in the retry queues for a retry that would fail the same way. Only the failing run pays: the
   * first run of every message is the handler's fast path.
   */
  isolatesDataErrors?: boolean;
}

export interface QueueWorker {
  start(): Promise<void>;
  /** Stops taking messages and waits for those in flight, up to `timeoutMs`. Safe to call twice. */
  stop(timeoutMs?: number): Promise<void>;
}

const maxErrorLength = 2_000;

/**
 * Thrown by a handler that cannot do its work yet (an API quota spent until a reset time): the message goes
 * back through the retry tier that best fits `delayMs` without spending an attempt, and is handled again
 * after the delay. Nothing the handler wrote is kept.
 */
export class DeferMessage extends Error {
  override readonly name = 'DeferMessage';
  constructor(
    readonly delayMs: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** The longest retry tier not longer than `delayMs` (the shortest if all are longer). */
export function deferralTier(retryDelaysMs: readonly number[], delayMs: number): number {
  const tiers = [...new Set(retryDelaysMs)].sort((a, b) => a - b);
  let chosen = tiers[0] ?? 1_000;
  for (const tier of tiers) if (tier <= delayMs) chosen = tier;
  return chosen;
}

// Every message's first statement: prepared once per connection.
const insertInboxRow = prepared(
  'INSERT INTO processed_messages (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
);

/**
 * Consumes one work queue. Each message runs in one transaction with an inbox row (so a redelivery is a
 * no-op) and its follow-ups in the outbox; the message is acked only after that commit. A failure is
 * re-published to the retry queue of the next delay tier, and after `maxAttempts` to `<queue>.dead`
 * with its error. The handler never acks.
 */
export function createQueueWorker(options: QueueWorkerOptions): QueueWorker {
  const { queue, database, broker, relay, maxAttempts, retryDelaysMs } = options;
  const logger = options.logger.child({ queue });
  const inFlight = new Set<Promise<void>>();
  const availability = options.databaseAvailability;
  let consumer: QueueConsumer | undefined;
  let stopAvailabilityUpdates: (() => void) | undefined;
  /** Settles once consuming has paused, while the database is away. */
  let paused: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;

  function onAvailability(available: boolean): void {
    if (available) {
      paused = undefined;
      void consumer?.resume();
    } else {
      paused = consumer?.pause();
    }
  }

  /** The database was away: consuming stops before the message goes back, so it is not handed out again at once. */
  async function returnUnspent(message: ConsumeMessage, channel: Channel, error: Error): Promise<void> {
    if (availability && isDatabaseConnectionError(error)) {
      availability.reportUnavailable(error);
      await paused;
      logger.warn('database unavailable, message returned to the queue', { error: error.message });
    } else {
      logger.warn('database busy, message returned to the queue after a pause', { error: error.message });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    channel.nack(message, false, true);
  }

  /**
   * The message's effects and its inbox row, committed together; says whether a follow-up is due at once
   * (the relay is then nudged; delayed ones wait for its next poll, since a pass now would find none due).
   */
  async function commit(
    envelope: Envelope,
    isolating = false,
  ): Promise<{ outcome: 'processed' | 'duplicate'; dueNow: boolean }> {
    return database.transaction(async (transaction) => {
      const inbox = await transaction.query(insertInboxRow, [queue, envelope.id]);
      if (inbox.rowCount === 0) return { outcome: 'duplicate', dueNow: false };
      const followUps = (await options.handler({ envelope, transaction, logger, isolating })) ?? [];
      await writeToOutbox(
        transaction,
        followUps.map((followUp) => ({
          routingKey: followUp.type,
          coalesceKey: followUp.coalesceKey,
          delayMs: followUp.delayMs,
          envelope: createEnvelope(followUp.type, followUp.payload, {
            correlationId: envelope.correlationId,
            causationId: envelope.id,
          }),
        })),
      );
      return {
        outcome: 'processed',
        dueNow: followUps.some((followUp) => Math.round(followUp.delayMs ?? 0) <= 0),
      };
    });
  }

  /** `commit`, and once more at once, isolating, when PostgreSQL refused the first run for its data. */
  async function commitIsolatingOnDataError(
    envelope: Envelope,
  ): Promise<{ outcome: 'processed' | 'duplicate'; dueNow: boolean }> {
    try {
      return await commit(envelope);
    } catch (error) {
      if (!options.isolatesDataErrors || !isDataError(error)) throw error;
      logger.warn('message refused by the database for its data, running it again isolating the bad part', {
        code: (error as { code?: string }).code,
        error: (error as Error).message,
      });
      return commit(envelope, true);
    }
  }

  async function deadLetter(
    message: ConsumeMessage,
    envelope: Envelope | undefined,
    error: Error,
  ): Promise<void> {
    await broker.publish(
      queue,
      envelope ?? createEnvelope('unreadable', null, { id: message.properties.messageId }),
      {
        exchange: 'dead',
        rawContent: envelope ? undefined : message.content,
        headers: {
          'x-error': `${error.name}: ${error.message}`.slice(0, maxErrorLength),
          'x-attempts': envelope?.attempt ?? 1,
          'x-failed-at': new Date().toISOString(),
          'x-queue': queue,
        },
      },
    );
  }

  async function retry(envelope: Envelope, error: Error): Promise<void> {
    const delayMs = retryDelaysMs[Math.min(envelope.attempt - 1, retryDelaysMs.length - 1)] ?? 1_000;
    await broker.publish(
      broker.names.retryRoutingKey(queue, delayMs),
      { ...envelope, attempt: envelope.attempt + 1 },
      {
        exchange: 'retry',
        headers: { 'x-last-error': `${error.name}: ${error.message}`.slice(0, maxErrorLength) },
      },
    );
  }

  async function defer(envelope: Envelope, deferral: DeferMessage): Promise<void> {
    const delayMs = deferralTier(retryDelaysMs, deferral.delayMs);
    await broker.publish(broker.names.retryRoutingKey(queue, delayMs), envelope, {
      exchange: 'retry',
      headers: {
        'x-deferred': deferral.message.slice(0, maxErrorLength),
        'x-deferred-until': new Date(Date.now() + deferral.delayMs).toISOString(),
      },
    });
    logger.info('message deferred', { reason: deferral.message, delayMs, wantedMs: deferral.delayMs });
    options.onOutcome?.('deferred');
  }

  async function handleFailure(message: ConsumeMessage, envelope: Envelope, error: Error): Promise<void> {
    if (error instanceof DeferMessage) {
      await defer(envelope, error);
      return;
    }
    if (envelope.attempt >= maxAttempts) {
      await deadLetter(message, envelope, error);
      logger.error('message dead-lettered', { error, attempt: envelope.attempt });
      options.onOutcome?.('dead-lettered');
    } else {
      await retry(envelope, error);
      logger.warn('message failed, retrying later', { error: error.message, attempt: envelope.attempt });
      options.onOutcome?.('retried');
    }
  }

  async function onDelivery(message: ConsumeMessage, channel: Channel): Promise<void> {
    let envelope: Envelope;
    try {
      envelope = parseEnvelope(message.content);
    } catch (error) {
      // No retry makes an unreadable body readable: straight to the dead-letter queue.
      await deadLetter(message, undefined, error as InvalidEnvelopeError);
      channel.ack(message);
      logger.error('unreadable message dead-lettered', { error });
      options.onOutcome?.('dead-lettered');
      return;
    }
    await runWithContext({ messageId: envelope.id, correlationId: envelope.correlationId }, async () => {
      try {
        const { outcome, dueNow } = await commitIsolatingOnDataError(envelope);
        channel.ack(message);
        options.onOutcome?.(outcome);
        if (dueNow) relay.nudge();
        logger.debug('message handled', { outcome, type: envelope.type });
      } catch (error) {
        if (isTransientDatabaseError(error)) {
          // The database, not the message, is at fault: do not spend an attempt.
          await returnUnspent(message, channel, error as Error);
          return;
        }
        await handleFailure(message, envelope, error as Error);
        channel.ack(message);
      }
    });
  }

  function track(message: ConsumeMessage, channel: Channel): Promise<void> {
    const work = onDelivery(message, channel).catch((error: unknown) => {
      // Retry or dead-letter publishing failed (broker gone): leave the message unacked; the broker
      // redelivers it when this channel closes.
      logger.warn('could not settle message; it will be redelivered', { error: (error as Error).message });
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
    return work;
  }

  return {
    async start() {
      consumer = await broker.consume(queue, options.prefetch, track);
      stopAvailabilityUpdates = availability?.onChange(onAvailability);
      if (availability && !availability.isAvailable()) onAvailability(false);
    },
    stop(timeoutMs = 10_000) {
      stopping ??= (async () => {
        stopAvailabilityUpdates?.();
        await consumer?.cancel();
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.all(inFlight),
          new Promise<void>((resolve) => {
            timer = setTimeout(() => {
              logger.warn('stopping with messages still in flight; they will be redelivered', {
                count: inFlight.size,
              });
              resolve();
            }, timeoutMs);
          }),
        ]);
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

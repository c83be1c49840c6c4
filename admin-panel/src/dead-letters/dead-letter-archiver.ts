import { createHash } from 'node:crypto';
import {
  createDatabaseAvailability,
  isDatabaseConnectionError,
  isTransientDatabaseError,
  parseEnvelope,
  workQueues,
  type BrokerConnection,
  type Database,
  type DeliveryHandler,
  type Envelope,
  type Logger,
  type QueueConsumer,
} from '@repopulse/core';
import { insertDeadLetter, type NewDeadLetter } from './dead-letter-store.js';

// amqplib's types, as core's broker hands them over (admin-panel does not depend on amqplib itself).
type ConsumeMessage = Parameters<DeliveryHandler>[0];
type Channel = Parameters<DeliveryHandler>[1];

export interface DeadLetterArchiver {
  start(): Promise<void>;
  /** Stops taking messages and waits for those in flight, up to `timeoutMs`. Safe to call twice. */
  stop(timeoutMs?: number): Promise<void>;
}

/** A header as a string: amqplib hands long strings over as strings, other encoders as bytes. */
function headerText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return null;
}

function readableEnvelope(content: Buffer): Envelope | null {
  try {
    const envelope = parseEnvelope(content);
    // jsonb cannot hold U+0000; such an envelope is kept as text instead (readable, not replayable).
    return JSON.stringify(envelope).includes('\\u0000') ? null : envelope;
  } catch {
    return null;
  }
}

/** The row for a message from `<queue>.dead`, with what the engine's dead-lettering put in the headers. */
export function deadLetterOf(queue: string, message: ConsumeMessage): NewDeadLetter {
  const headers = message.properties.headers ?? {};
  const envelope = readableEnvelope(message.content);
  const failedAt = new Date(headerText(headers['x-failed-at']) ?? Number.NaN);
  const attempts = Number(headers['x-attempts'] ?? envelope?.attempt ?? Number.NaN);
  return {
    queue,
    // A body without any id still gets one that a redelivery of it repeats.
    messageId:
      envelope?.id ??
      headerText(message.properties.messageId) ??
      `sha256:${createHash('sha256').update(message.content).digest('hex')}`,
    type: envelope?.type ?? headerText(message.properties.type),
    envelope,
    rawBody: envelope ? null : message.content.toString('utf8').replace(/\0/g, '\uFFFD'),
    error: headerText(headers['x-error']),
    attempts: Number.isInteger(attempts) ? attempts : null,
    failedAt: Number.isNaN(failedAt.getTime()) ? new Date() : failedAt,
  };
}

/**
 * Moves every message reaching a `<queue>.dead` queue into the dead_letters table, acking it only after
 * the row is committed: a crash in between redelivers it, and its message id makes that one row.
 * A failed insert hands the message back after a pause; it has nowhere else to go.
 */
export function createDeadLetterArchiver(options: {
  broker: BrokerConnection;
  database: Database;
  logger: Logger;
  prefetch: number;
  onArchived?: (queue: string) => void;
}): DeadLetterArchiver {
  const { broker, database } = options;
  const logger = options.logger.child({ component: 'dead-letter-archiver' });
  const inFlight = new Set<Promise<void>>();
  const consumers: QueueConsumer[] = [];
  // While PostgreSQL is away the archiver stops taking dead letters rather than hand them back every second.
  const availability = createDatabaseAvailability({ database, logger });
  let paused: Promise<unknown> | undefined;
  availability.onChange((available) => {
    if (available) {
      paused = undefined;
      for (const consumer of consumers) void consumer.resume();
    } else {
      paused = Promise.all(consumers.map((consumer) => consumer.pause()));
    }
  });
  let stopping: Promise<void> | undefined;

  async function archive(queue: string, message: ConsumeMessage, channel: Channel): Promise<void> {
    const letter = deadLetterOf(queue, message);
    try {
      await insertDeadLetter(database, letter);
    } catch (error) {
      if (isDatabaseConnectionError(error)) {
        availability.reportUnavailable(error);
        await paused;
        logger.warn('database unavailable, dead letter returned to its queue', { error, queue });
        channel.nack(message, false, true);
        return;
      }
      const transient = isTransientDatabaseError(error);
      if (transient) logger.warn('database busy, dead letter returned to its queue', { error, queue });
      else logger.error('cannot archive a dead letter, returned to its queue', { error, queue });
      await new Promise((resolve) => setTimeout(resolve, transient ? 1_000 : 5_000));
      channel.nack(message, false, true);
      return;
    }
    channel.ack(message);
    logger.info('dead letter archived', { queue, messageId: letter.messageId, type: letter.type });
    options.onArchived?.(queue);
  }

  function track(queue: string, message: ConsumeMessage, channel: Channel): Promise<void> {
    const work = archive(queue, message, channel).catch((error: unknown) => {
      // The channel closed under us: the broker redelivers the unacked message.
      logger.warn('could not settle a dead letter; it will be redelivered', { error, queue });
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
    return work;
  }

  return {
    async start() {
      for (const queue of workQueues) {
        consumers.push(
          await broker.consume(`${queue}.dead`, options.prefetch, (message, channel) =>
            track(queue, message, channel),
          ),
        );
      }
    },
    stop(timeoutMs = 10_000) {
      stopping ??= (async () => {
        availability.stop();
        await Promise.all(consumers.map((consumer) => consumer.cancel()));
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.all(inFlight),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
        ]);
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

import { prepared, type Database, type Queryable } from '../db/index.js';
import type { Logger } from '../logging/index.js';
import type { MessagePublisher } from './broker-connection.js';
import type { Envelope } from './envelope.js';

export interface OutboxMessage {
  routingKey: string;
  envelope: Envelope;
  /** Pending messages with the same key are one: the second write is dropped while the first waits. */
  coalesceKey?: string;
  /** Sent no earlier than this long after the transaction (0 or absent: at once). */
  delayMs?: number;
}

// Every handled message writes its follow-ups with it: prepared once per connection.
const insertOutboxMessages = prepared(
  `INSERT INTO outbox (message_id, routing_key, body, coalesce_key, not_before)
   SELECT m.message_id, m.routing_key, m.body, m.coalesce_key, now() + m.delay_ms * interval '1 millisecond'
     FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::text[], $5::integer[])
       AS m (message_id, routing_key, body, coalesce_key, delay_ms)
   ON CONFLICT (coalesce_key) WHERE coalesce_key IS NOT NULL DO NOTHING`,
);

/** Writes follow-up messages in the caller's transaction: they exist exactly when the facts do. */
export async function writeToOutbox(
  transaction: Queryable,
  messages: readonly OutboxMessage[],
): Promise<void> {
  if (messages.length === 0) return;
  await transaction.query(insertOutboxMessages, [
    messages.map((message) => message.envelope.id),
    messages.map((message) => message.routingKey),
    messages.map((message) => JSON.stringify(message.envelope)),
    messages.map((message) => message.coalesceKey ?? null),
    messages.map((message) => Math.max(0, Math.round(message.delayMs ?? 0))),
  ]);
}

export interface OutboxRelay {
  start(): void;
  /** Asks for a pass now (after a handler committed) instead of at the next poll. */
  nudge(): void;
  /** Publishes what is pending now; resolves with how many were published. */
  relayPending(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Publishes outbox rows that are due with confirms and deletes them in the same transaction. Rows are
 * locked with SKIP LOCKED, so several relays share the work. A delayed row waits for a later pass: the
 * relay polls every `pollIntervalMs`, so it leaves up to that much after its time. A crash after
 * publishing but before commit publishes a row twice; consumers drop the duplicate by its message id.
 */
export function createOutboxRelay(options: {
  database: Database;
  publisher: MessagePublisher;
  logger: Logger;
  pollIntervalMs?: number;
  batchSize?: number;
}): OutboxRelay {
  const { database, publisher, logger } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const batchSize = options.batchSize ?? 200;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  async function relayBatch(): Promise<number> {
    return database.transaction(async (transaction) => {
      const { rows } = await transaction.query<{ id: string; routing_key: string; body: Envelope }>(
        `SELECT outbox.id, outbox.routing_key, outbox.body FROM outbox WHERE outbox.not_before <= now()
          ORDER BY outbox.id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      if (rows.length === 0) return 0;
      await Promise.all(rows.map((row) => publisher.publish(row.routing_key, row.body)));
      await transaction.query('DELETE FROM outbox WHERE outbox.id = ANY($1::bigint[])', [
        rows.map((row) => row.id),
      ]);
      return rows.length;
    });
  }

  async function relayPending(): Promise<number> {
    let total = 0;
    for (;;) {
      const published = await relayBatch();
      total += published;
      if (published < batchSize) return total;
    }
  }

  function pass(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = relayPending()
      .then(
        (count) => {
          if (count > 0) logger.debug('outbox relayed', { count });
        },
        (error: unknown) => {
          logger.warn('outbox relay failed, will retry', { error: (error as Error).message });
        },
      )
      .finally(() => {
        running = undefined;
        if (stopped) return;
        if (again) {
          again = false;
          pass();
        } else {
          timer = setTimeout(pass, pollIntervalMs);
        }
      });
  }

  return {
    start: pass,
    nudge: pass,
    relayPending,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

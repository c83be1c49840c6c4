import { isDataError, type GenericEvent, type Queryable } from '@repopulse/core';
import { rejectionOf, type RejectedEvent } from '../rejected-events/record-rejected-events.js';
import { writeEvents } from './write-events.js';

/**
 * The slow path, for a batch PostgreSQL refused for its data (`isDataError`) in one write: the batch is
 * written in parts, each under a savepoint, halving a part that fails until each refused event is alone.
 * Every other event is stored, with the same effect as one write of the batch without the refused ones
 * (parts are written in the batch's order); each refused event becomes a rejection with PostgreSQL's reason.
 * Halving finds k bad events among n in about 2·k·log2(n) writes. Any other error (a lost connection, a
 * deadlock) fails the message as before.
 */
export async function storeIsolating(
  transaction: Queryable,
  source: string,
  events: ReadonlyArray<{ event: GenericEvent; position: number }>,
): Promise<{ repositoryIds: string[]; rejected: RejectedEvent[] }> {
  const repositoryIds = new Set<string>();
  const marked = new Set<string>();
  const rejected: RejectedEvent[] = [];

  async function store(part: ReadonlyArray<{ event: GenericEvent; position: number }>): Promise<void> {
    await transaction.query('SAVEPOINT isolate_events');
    try {
      const written = await writeEvents(
        transaction,
        source,
        part.map((item) => item.event),
        marked,
      );
      await transaction.query('RELEASE SAVEPOINT isolate_events');
      for (const id of written.repositoryIds) repositoryIds.add(id);
      for (const id of written.marked) marked.add(id);
    } catch (error) {
      if (!isDataError(error)) throw error;
      await transaction.query('ROLLBACK TO SAVEPOINT isolate_events');
      await transaction.query('RELEASE SAVEPOINT isolate_events');
      if (part.length === 1) {
        const [{ event, position }] = part as [{ event: GenericEvent; position: number }];
        rejected.push({
          source,
          eventId: event.id,
          eventType: event.type,
          position,
          event,
          ...rejectionOf(error),
        });
        return;
      }
      const middle = Math.ceil(part.length / 2);
      await store(part.slice(0, middle));
      await store(part.slice(middle));
    }
  }

  await store(events);
  return { repositoryIds: [...repositoryIds], rejected };
}

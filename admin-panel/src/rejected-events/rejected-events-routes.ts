import {
  compileValidator,
  createRouter,
  jsonBody,
  NotFoundError,
  recordAudit,
  type Database,
} from '@repopulse/core';
import type { Router } from 'express';
import { adminChange } from '../http/admin-identity.js';
import { pageOf, parameterChecks, readListQuery } from '../http/list-query.js';
import { rowIdOf } from '../http/row-id.js';
import {
  countRejectedEvents,
  deleteRejectedEvents,
  listRejectedEvents,
  type RejectedEventRecord,
} from './rejected-event-store.js';

/** The queues whose messages the engine takes apart event by event. */
export const rejectingQueues = ['ingest.events', 'ingest.github-webhook'] as const;

const idsSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:repopulse:schema:rejected-event-ids',
  type: 'object',
  additionalProperties: false,
  required: ['ids'],
  properties: {
    ids: {
      type: 'array',
      minItems: 1,
      maxItems: 1_000,
      items: { type: 'string', pattern: '^[1-9][0-9]{0,17}$' },
    },
  },
} as const;

/** The event as it came: JSON (U+0000 and lone surrogates come back escaped), or its text if it is none. */
function eventOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function rejectedEventView(record: RejectedEventRecord) {
  return {
    id: record.id,
    queue: record.queue,
    messageId: record.messageId,
    source: record.source,
    eventId: record.eventId,
    eventType: record.eventType,
    position: record.position,
    reason: record.reason,
    errors: record.errors,
    sqlstate: record.sqlstate,
    rejectedAt: record.rejectedAt.toISOString(),
    event: eventOf(record.event),
  };
}

/**
 * `GET /api/rejected-events`, `DELETE /api/rejected-events/{id}` and `POST /api/rejected-events/delete`
 * with `{ ids }`. There is no replay: a rejected event is refused for its own values (its schema or
 * PostgreSQL refuses them), so sent again unchanged it would be refused again. The supplier sends it
 * corrected, under the same id if it likes (a rejected event's id is not marked as processed); the row says
 * what to correct.
 */
export function rejectedEventsRoutes(options: { database: Database }): Router {
  const { database } = options;
  const validateIds = compileValidator<{ ids: string[] }>(idsSchema, 'The list of rejected events');
  const router = createRouter();

  router.get('/api/rejected-events', async (request, response) => {
    const { page, filters } = readListQuery(
      request.query,
      { queue: parameterChecks.oneOf(rejectingQueues), source: parameterChecks.text },
      1,
    );
    const [rows, total] = await Promise.all([
      listRejectedEvents(database, { ...filters, ...page }),
      countRejectedEvents(database, filters),
    ]);
    const { items, nextCursor } = pageOf(rows, page.limit, (record) => [record.id]);
    response.json({ rejectedEvents: items.map(rejectedEventView), total, nextCursor });
  });

  router.delete('/api/rejected-events/:id', async (request, response) => {
    const id = rowIdOf(request, 'rejected event');
    await database.transaction(async (transaction) => {
      const [deleted] = await deleteRejectedEvents(transaction, [id]);
      if (!deleted) throw new NotFoundError(`There is no rejected event ${id}`);
      await recordAudit(transaction, [
        adminChange(request, 'rejected-event.delete', `rejected-event:${id}`, {
          queue: deleted.queue,
          messageId: deleted.messageId,
          eventId: deleted.eventId,
        }),
      ]);
    });
    response.status(204).end();
  });

  router.post('/api/rejected-events/delete', ...jsonBody({ limit: 64 * 1024 }), async (request, response) => {
    const { ids } = validateIds(request.body);
    const deleted = await database.transaction(async (transaction) => {
      const rows = await deleteRejectedEvents(transaction, ids);
      await recordAudit(transaction, [
        adminChange(request, 'rejected-event.delete', 'rejected-events', {
          ids: rows.map((row) => row.id),
          requested: ids.length,
        }),
      ]);
      return rows.length;
    });
    response.json({ deleted });
  });

  return router;
}

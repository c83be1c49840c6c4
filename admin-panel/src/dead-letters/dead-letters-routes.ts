import {
  createRouter,
  compileValidator,
  ConflictError,
  jsonBody,
  NotFoundError,
  recordAudit,
  workQueues,
  writeToOutbox,
  type Database,
  type OutboxRelay,
  type Queryable,
} from '@repopulse/core';
import { type Router } from 'express';
import { adminChange } from '../http/admin-identity.js';
import { pageOf, parameterChecks, readListQuery } from '../http/list-query.js';
import { rowIdOf } from '../http/row-id.js';
import {
  countDeadLetters,
  listDeadLetters,
  takeDeadLetters,
  takeReplayableDeadLetters,
  type DeadLetterRecord,
} from './dead-letter-store.js';

const idsSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:repopulse:schema:dead-letter-ids',
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

function deadLetterView(letter: DeadLetterRecord) {
  return {
    id: letter.id,
    queue: letter.queue,
    messageId: letter.messageId,
    type: letter.type,
    attempts: letter.attempts,
    error: letter.error,
    failedAt: letter.failedAt.toISOString(),
    archivedAt: letter.archivedAt.toISOString(),
    // An unreadable body has no envelope to send back: it can be read and deleted, not replayed.
    replayable: letter.envelope !== null,
    payload: letter.envelope ? letter.envelope.payload : letter.rawBody,
  };
}

/**
 * Sends the letters back to their work queues through the outbox, in the transaction that deleted their
 * rows: replayed exactly when removed. The id stays the original's, so a consumer that has processed it
 * meanwhile (a redelivery that got through) drops it; the attempt count starts again at 1.
 */
async function replay(transaction: Queryable, letters: readonly DeadLetterRecord[]): Promise<void> {
  await writeToOutbox(
    transaction,
    letters.map((letter) => ({ routingKey: letter.queue, envelope: { ...letter.envelope!, attempt: 1 } })),
  );
}

/**
 * `GET /api/dead-letters`, `POST /api/dead-letters/{id}/replay`, `DELETE /api/dead-letters/{id}`, and
 * the same for many at once: `POST /api/dead-letters/replay` and `/delete` with `{ ids }`.
 */
export function deadLettersRoutes(options: {
  database: Database;
  relay: Pick<OutboxRelay, 'nudge'>;
}): Router {
  const { database, relay } = options;
  const validateIds = compileValidator<{ ids: string[] }>(idsSchema, 'The list of dead letters');
  const router = createRouter();

  router.get('/api/dead-letters', async (request, response) => {
    const { page, filters } = readListQuery(request.query, { queue: parameterChecks.oneOf(workQueues) }, 1);
    const [rows, total] = await Promise.all([
      listDeadLetters(database, { ...filters, ...page }),
      countDeadLetters(database, filters.queue),
    ]);
    const { items, nextCursor } = pageOf(rows, page.limit, (letter) => [letter.id]);
    response.json({ deadLetters: items.map(deadLetterView), total, nextCursor });
  });

  router.post('/api/dead-letters/:id/replay', async (request, response) => {
    const id = rowIdOf(request, 'dead letter');
    const letter = await database.transaction(async (transaction) => {
      const [taken] = await takeDeadLetters(transaction, [id]);
      if (!taken) throw new NotFoundError(`There is no dead letter ${id}`);
      // Throwing rolls the delete back: the row stays for the admin to read or delete.
      if (!taken.envelope)
        throw new ConflictError(`Dead letter ${id} is not a readable envelope; it cannot be replayed`);
      await replay(transaction, [taken]);
      await recordAudit(transaction, [
        adminChange(request, 'dead-letter.replay', `dead-letter:${id}`, {
          queue: taken.queue,
          messageId: taken.messageId,
          type: taken.type,
        }),
      ]);
      return taken;
    });
    relay.nudge();
    response.status(202).json({ id, replayedAs: letter.messageId });
  });

  router.delete('/api/dead-letters/:id', async (request, response) => {
    const id = rowIdOf(request, 'dead letter');
    await database.transaction(async (transaction) => {
      const [taken] = await takeDeadLetters(transaction, [id]);
      if (!taken) throw new NotFoundError(`There is no dead letter ${id}`);
      await recordAudit(transaction, [
        adminChange(request, 'dead-letter.delete', `dead-letter:${id}`, {
          queue: taken.queue,
          messageId: taken.messageId,
          type: taken.type,
        }),
      ]);
    });
    response.status(204).end();
  });

  router.post('/api/dead-letters/replay', ...jsonBody({ limit: 64 * 1024 }), async (request, response) => {
    const { ids } = validateIds(request.body);
    const replayed = await database.transaction(async (transaction) => {
      const letters = await takeReplayableDeadLetters(transaction, ids);
      await replay(transaction, letters);
      const replayedIds = letters.map((letter) => letter.id);
      await recordAudit(transaction, [
        adminChange(request, 'dead-letter.replay', 'dead-letters', {
          ids: replayedIds,
          requested: ids.length,
        }),
      ]);
      return letters.length;
    });
    relay.nudge();
    response.status(202).json({ replayed });
  });

  router.post('/api/dead-letters/delete', ...jsonBody({ limit: 64 * 1024 }), async (request, response) => {
    const { ids } = validateIds(request.body);
    const deleted = await database.transaction(async (transaction) => {
      const letters = await takeDeadLetters(transaction, ids);
      await recordAudit(transaction, [
        adminChange(request, 'dead-letter.delete', 'dead-letters', {
          ids: letters.map((letter) => letter.id),
          requested: ids.length,
        }),
      ]);
      return letters.length;
    });
    response.json({ deleted });
  });

  return router;
}

import { createRouter, type Queryable } from '@repopulse/core';
import { type Router } from 'express';
import { countDeadLettersByQueue } from '../dead-letters/dead-letter-store.js';
import type { QueueStats } from './queue-stats.js';

/**
 * `GET /api/queues`. Besides the broker's figures, `deadLetters` counts what the archiver has moved into
 * the dead_letters table: the dead-letter queues themselves stay near empty while it runs.
 */
export function queuesRoute(options: { queueStats: QueueStats; database: Queryable }): Router {
  const router = createRouter();
  router.get('/api/queues', async (_request, response) => {
    const [stats, archived] = await Promise.all([
      options.queueStats.read(),
      countDeadLettersByQueue(options.database),
    ]);
    response.json({
      statsFrom: stats.statsFrom,
      queues: stats.queues.map((queue) => ({ ...queue, deadLetters: archived.get(queue.name) ?? 0 })),
    });
  });
  return router;
}

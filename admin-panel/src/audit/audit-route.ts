import { createRouter, type Queryable } from '@repopulse/core';
import { type Router } from 'express';
import { pageOf, parameterChecks, readListQuery } from '../http/list-query.js';
import { selectAuditEntries } from './audit-store.js';

const toDate = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

/** `GET /api/audit?actor=&action=&outcome=&from=&to=&limit=&before=`: who changed what, when. */
export function auditRoute(options: { database: Queryable }): Router {
  const router = createRouter();
  router.get('/api/audit', async (request, response) => {
    const { page, filters } = readListQuery(
      request.query,
      {
        actor: parameterChecks.text,
        action: parameterChecks.text,
        outcome: parameterChecks.oneOf(['success', 'failure', 'denied']),
        from: parameterChecks.time,
        to: parameterChecks.time,
      },
      1,
    );
    const rows = await selectAuditEntries(options.database, {
      ...filters,
      from: toDate(filters.from),
      to: toDate(filters.to),
      ...page,
    });
    const { items, nextCursor } = pageOf(rows, page.limit, (entry) => [entry.id]);
    response.json({ entries: items.map((entry) => ({ ...entry, at: entry.at.toISOString() })), nextCursor });
  });
  return router;
}

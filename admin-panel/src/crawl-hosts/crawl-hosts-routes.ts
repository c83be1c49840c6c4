import {
  addAllowedCrawlHost,
  allowlistHost,
  compileValidator,
  ConflictError,
  crawlHostProblem,
  jsonBody,
  listAllowedCrawlHosts,
  NotFoundError,
  recordAudit,
  removeAllowedCrawlHost,
  SchemaViolationError,
  type AllowedCrawlHost,
  type Database,
} from '@repopulse/core';
import { Router } from 'express';
import { adminChange, callerName } from '../http/admin-identity.js';

const newCrawlHostSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:repopulse:schema:new-crawl-host',
  type: 'object',
  additionalProperties: false,
  required: ['host'],
  properties: { host: { type: 'string', minLength: 1, maxLength: 253 } },
} as const;

function crawlHostView(row: AllowedCrawlHost) {
  return { host: row.host, addedBy: row.addedBy, addedAt: row.addedAt.toISOString() };
}

/**
 * `GET|POST /api/crawl-hosts`, `DELETE /api/crawl-hosts/{host}`: the hosts suppliers' crawl requests may
 * name (https only, public addresses only; the input gateway and the engine read the list within 10 s).
 * Exact host names, compared case aside; every change is audited in its own transaction.
 */
export function crawlHostsRoutes(options: { database: Database }): Router {
  const { database } = options;
  const validate = compileValidator<{ host: string }>(newCrawlHostSchema, 'The crawl host');
  const router = Router();

  router.get('/api/crawl-hosts', async (_request, response) => {
    response.json({ crawlHosts: (await listAllowedCrawlHosts(database)).map(crawlHostView) });
  });

  router.post('/api/crawl-hosts', ...jsonBody({ limit: 4 * 1024 }), async (request, response) => {
    const { host } = validate(request.body);
    const problem = crawlHostProblem(host.trim());
    if (problem) {
      throw new SchemaViolationError('The host cannot be allowed', [{ path: '/host', message: problem }]);
    }
    const added = await database.transaction(async (transaction) => {
      const row = await addAllowedCrawlHost(transaction, host.trim(), callerName(request));
      if (row) {
        await recordAudit(transaction, [adminChange(request, 'crawl-host.add', `crawl-host:${row.host}`)]);
      }
      return row;
    });
    if (!added) throw new ConflictError(`${allowlistHost(host.trim())} is on the allowlist already`);
    response
      .status(201)
      .location(`/api/crawl-hosts/${encodeURIComponent(added.host)}`)
      .json(crawlHostView(added));
  });

  router.delete('/api/crawl-hosts/:host', async (request, response) => {
    const host = allowlistHost(String(request.params.host));
    const removed =
      host !== '' &&
      (await database.transaction(async (transaction) => {
        if (!(await removeAllowedCrawlHost(transaction, host))) return false;
        await recordAudit(transaction, [adminChange(request, 'crawl-host.remove', `crawl-host:${host}`)]);
        return true;
      }));
    if (!removed) throw new NotFoundError(`${String(request.params.host)} is not on the allowlist`);
    response.status(204).end();
  });

  return router;
}

import {
  createRouter,
  compileValidator,
  ConflictError,
  jsonBody,
  NotFoundError,
  recordAudit,
  SchemaViolationError,
  startSourceCrawl,
  type Database,
  type OutboxRelay,
  type Queryable,
} from '@repopulse/core';
import { type Router, type Request } from 'express';
import { adminChange, callerName } from '../http/admin-identity.js';
import { pageOf, parameterChecks, readListQuery } from '../http/list-query.js';
import { findActiveRunOfSource, findCrawlRun, listCrawlRuns, lockSource } from './crawl-run-store.js';
import { crawlRunView } from './crawl-run-view.js';

const crawlRunStatuses = ['queued', 'running', 'done', 'failed'] as const;

const crawlRequestSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:repopulse:schema:admin-crawl-request',
  type: 'object',
  additionalProperties: false,
  required: ['sourceId'],
  properties: {
    // Ids are strings in every answer; a number is taken too, as a form may send one.
    sourceId: {
      anyOf: [
        { type: 'string', pattern: '^[1-9][0-9]{0,17}$' },
        { type: 'integer', minimum: 1 },
      ],
    },
  },
} as const;

/** `GET|POST /api/crawl-runs`, `GET /api/crawl-runs/{id}`. */
export function crawlRunsRoutes(options: { database: Database; relay: Pick<OutboxRelay, 'nudge'> }): Router {
  const { database, relay } = options;
  const validateRequest = compileValidator<{ sourceId: string | number }>(
    crawlRequestSchema,
    'The crawl request',
  );
  const router = createRouter();

  router.get('/api/crawl-runs', async (request, response) => {
    const { page, filters } = readListQuery(
      request.query,
      { status: parameterChecks.oneOf(crawlRunStatuses), sourceId: parameterChecks.rowId },
      2,
    );
    const rows = await listCrawlRuns(database, { ...filters, ...page });
    const { items, nextCursor } = pageOf(rows, page.limit, (run) => [run.createdAtKey, run.id]);
    const now = new Date();
    response.json({ crawlRuns: items.map((run) => crawlRunView(run, now)), nextCursor });
  });

  router.get('/api/crawl-runs/:id', async (request, response) => {
    const id = String(request.params.id);
    const run = id.length <= 100 ? await findCrawlRun(database, id) : undefined;
    if (!run) throw new NotFoundError(`There is no crawl run ${id}`);
    response.json(crawlRunView(run));
  });

  router.post('/api/crawl-runs', ...jsonBody({ limit: 4 * 1024 }), async (request, response) => {
    const sourceId = String(validateRequest(request.body).sourceId);
    const runId = await database.transaction((transaction) => startCrawl(transaction, request, sourceId));
    // The run and its message committed together; the relay sends the message now, not at its next poll.
    relay.nudge();
    const run = await findCrawlRun(database, runId);
    response.status(201).location(`/api/crawl-runs/${runId}`).json(crawlRunView(run!));
  });

  async function startCrawl(transaction: Queryable, request: Request, sourceId: string): Promise<string> {
    const source = await lockSource(transaction, sourceId);
    if (!source) {
      throw new SchemaViolationError('The crawl cannot be started', [
        { path: '/sourceId', message: `names no source (${sourceId})` },
      ]);
    }
    const active = await findActiveRunOfSource(transaction, source.id);
    if (active) {
      throw new ConflictError(`The source's crawl run ${active.id} is still ${active.status}`, {
        crawlRunId: active.id,
      });
    }
    const { runId } = await startSourceCrawl(transaction, {
      source,
      trigger: 'admin',
      requestedBy: callerName(request),
    });
    await recordAudit(transaction, [
      adminChange(request, 'crawl-run.trigger', `crawl-run:${runId}`, {
        sourceId: source.id,
        kind: source.kind,
        target: source.target,
      }),
    ]);
    return runId;
  }

  return router;
}

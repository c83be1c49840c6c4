import {
  createRouter,
  compileValidator,
  cronScheduleProblem,
  jsonBody,
  NotFoundError,
  recordAudit,
  SchemaViolationError,
  sourceTargetProblem,
  UnavailableError,
  type CrawlTargetPolicy,
  type Database,
  type Queryable,
  type SchemaViolation,
} from '@repopulse/core';
import { type Router, type Request } from 'express';
import { auditActor } from '../http/admin-identity.js';
import {
  newSourceSchema,
  sourceChangeSchema,
  type NewSource,
  type SourceChange,
  type SourceFields,
} from './source-schema.js';
import {
  deleteSource,
  findSource,
  insertSource,
  listSources,
  updateSource,
  type SourceRecord,
} from './source-store.js';
import { sourceView } from './source-view.js';

const bodyLimitBytes = 16 * 1024;
const sourceId = /^[1-9]\d{0,17}$/;

/**
 * What the JSON schema cannot say: the target must suit the kind, the schedule must be one cron can run,
 * and a git target must be one the crawl target policy lets an admin's source name (local paths, file://
 * and private addresses only with GIT_ALLOW_LOCAL=1; never git's remote helpers). The target is checked
 * when it is set or changed, so a source stays editable (disabled, say) after GIT_ALLOW_LOCAL is turned off.
 */
async function checkSource(
  source: SourceFields,
  crawlTargets: CrawlTargetPolicy,
  targetChanged = true,
): Promise<SourceFields> {
  const violations: SchemaViolation[] = [];
  const target = sourceTargetProblem(source.kind, source.target);
  if (target) violations.push({ path: '/target', message: target });
  else if (source.kind === 'git' && targetChanged) {
    const decision = await crawlTargets.check(source.target, 'admin-source');
    if (!decision.allowed && decision.transient) throw new UnavailableError(decision.reason);
    if (!decision.allowed) violations.push({ path: '/target', message: decision.reason });
  }
  const schedule = source.schedule === null ? undefined : cronScheduleProblem(source.schedule);
  if (schedule) violations.push({ path: '/schedule', message: schedule });
  if (violations.length > 0)
    throw new SchemaViolationError('The source cannot be tracked as given', violations);
  return source;
}

function idOf(request: Request): string {
  const id = String(request.params.id);
  if (!sourceId.test(id)) throw new NotFoundError(`There is no source ${id}`);
  return id;
}

/**
 * `GET|POST /api/sources`, `GET|PATCH|DELETE /api/sources/{id}`. A new source is crawled once by cron
 * within its reload interval, then on its schedule; an edit takes effect there just as soon.
 */
export function sourcesRoutes(options: {
  database: Database;
  timezone: string;
  crawlTargets: CrawlTargetPolicy;
}): Router {
  const { database, timezone, crawlTargets } = options;
  const validateNew = compileValidator<NewSource>(newSourceSchema, 'The source');
  const validateChange = compileValidator<SourceChange>(sourceChangeSchema, 'The change');
  const view = (source: SourceRecord) => sourceView(source, timezone);
  const router = createRouter();

  async function audited(
    request: Request,
    action: string,
    work: (transaction: Queryable) => Promise<SourceRecord | undefined>,
  ) {
    return database.transaction(async (transaction) => {
      const source = await work(transaction);
      if (!source) return undefined;
      const { id, kind, target, schedule, enabled } = source;
      await recordAudit(transaction, [
        {
          ...auditActor(request),
          action,
          target: `source:${id}`,
          outcome: 'success',
          details: { kind, target, schedule, enabled },
        },
      ]);
      return source;
    });
  }

  router.get('/api/sources', async (_request, response) => {
    response.json({ sources: (await listSources(database)).map(view) });
  });

  router.post('/api/sources', ...jsonBody({ limit: bodyLimitBytes }), async (request, response) => {
    const body = validateNew(request.body);
    const fields = await checkSource({ schedule: null, enabled: true, ...body }, crawlTargets);
    const created = await audited(request, 'source.create', (transaction) =>
      insertSource(transaction, fields),
    );
    response.status(201).location(`/api/sources/${created!.id}`).json(view(created!));
  });

  router.get('/api/sources/:id', async (request, response) => {
    const id = idOf(request);
    const source = await findSource(database, id);
    if (!source) throw new NotFoundError(`There is no source ${id}`);
    response.json(view(source));
  });

  router.patch('/api/sources/:id', ...jsonBody({ limit: bodyLimitBytes }), async (request, response) => {
    const id = idOf(request);
    const change = validateChange(request.body);
    const updated = await audited(request, 'source.update', async (transaction) => {
      const current = await findSource(transaction, id);
      if (!current) return undefined;
      const { kind, target, schedule, enabled } = current;
      const targetChanged =
        (change.kind !== undefined && change.kind !== kind) ||
        (change.target !== undefined && change.target !== target);
      const fields = { kind, target, schedule, enabled, ...change };
      return updateSource(transaction, id, await checkSource(fields, crawlTargets, targetChanged));
    });
    if (!updated) throw new NotFoundError(`There is no source ${id}`);
    response.json(view(updated));
  });

  router.delete('/api/sources/:id', async (request, response) => {
    const id = idOf(request);
    const deleted = await audited(request, 'source.delete', (transaction) => deleteSource(transaction, id));
    if (!deleted) throw new NotFoundError(`There is no source ${id}`);
    response.status(204).end();
  });

  return router;
}

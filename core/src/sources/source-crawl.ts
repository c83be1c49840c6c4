import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/index.js';
import type { CrawlOrganizationPayload, CrawlRepositoryPayload } from '../events/crawl-messages.js';
import { crawlRunItem } from '../events/repository-identity.js';
import { createEnvelope, writeToOutbox } from '../queue/index.js';
import { parseSourceTarget, type SourceKind } from './source-target.js';

/** What a crawl needs to know of a source (docs/DESIGN.md, "Repositories and sources"). */
export interface CrawlableSource {
  id: string;
  kind: SourceKind;
  target: string;
}

export type CrawlTrigger = 'admin' | 'schedule' | 'request';

type SourceCrawlMessage =
  | { routingKey: 'crawl.org'; payload: CrawlOrganizationPayload; items: undefined }
  | { routingKey: 'crawl.repo'; payload: CrawlRepositoryPayload; items: string[] };

/**
 * The message that crawls a source: `crawl.org` for an organisation or user (the engine lists its
 * repositories), `crawl.repo` for one repository. Undefined when the target names nothing crawlable —
 * the admin API refuses such targets, so only a row written around it gets here.
 */
export function crawlMessageForSource(
  source: CrawlableSource,
  context: { crawlRunId: string; requestedBy?: string },
): SourceCrawlMessage | undefined {
  const common = { crawlRunId: context.crawlRunId, requestedBy: context.requestedBy, sourceId: source.id };
  const target = parseSourceTarget(source.kind, source.target);
  if (!target) return undefined;
  if ('login' in target) {
    const payload = { host: 'github.com', login: target.login, kind: target.kind, ...common };
    return { routingKey: 'crawl.org', payload, items: undefined };
  }
  const gitUrl = target.kind === 'git' ? { gitUrl: source.target } : {};
  const payload = { ...target.repository, ...gitUrl, ...common };
  return { routingKey: 'crawl.repo', payload, items: [crawlRunItem(target.repository)] };
}

/**
 * Starts a crawl of a source in the caller's transaction: a queued crawl run (with its one repository
 * planned, so progress reads 0/1 at once; an organisation's total is known once the engine lists it)
 * and its message in the outbox, so the run exists exactly when its message will be sent. A target
 * that names nothing crawlable gives a run that has already failed, saying why.
 */
export async function startSourceCrawl(
  transaction: Queryable,
  options: { source: CrawlableSource; trigger: CrawlTrigger; requestedBy?: string; correlationId?: string },
): Promise<{ runId: string }> {
  const { source, trigger, requestedBy } = options;
  const runId = randomUUID();
  const message = crawlMessageForSource(source, { crawlRunId: runId, requestedBy });
  await transaction.query(
    `INSERT INTO crawl_runs (id, source_id, kind, target, trigger, requested_by, status, total, error, finished_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      runId,
      source.id,
      source.kind,
      source.target,
      trigger,
      requestedBy ?? null,
      message ? 'queued' : 'failed',
      message ? (message.items?.length ?? null) : 0,
      message ? null : `the target "${source.target}" names no repository or owner that can be crawled`,
      message ? null : new Date(),
    ],
  );
  if (!message) return { runId };
  if (message.items) {
    await transaction.query(
      `INSERT INTO crawl_run_items (run_id, item) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
      [runId, message.items],
    );
  }
  const envelope = createEnvelope(message.routingKey, message.payload, {
    correlationId: options.correlationId,
  });
  await writeToOutbox(transaction, [{ routingKey: message.routingKey, envelope }]);
  return { runId };
}

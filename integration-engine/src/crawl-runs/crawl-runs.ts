import type { Queryable } from '@repopulse/core';

export type CrawlKind = 'github-org' | 'github-user' | 'github-repo' | 'git';

export interface CrawlRunStart {
  id: string;
  kind: CrawlKind;
  target: string;
  trigger?: 'admin' | 'schedule' | 'request';
  requestedBy?: string;
  sourceId?: string;
}

// Times here are clock_timestamp(), not now(): a run begins in autocommit while the message's transaction,
// whose now() is its own start, may already be open, so now() at the finish could precede the start.

/** The most recent errors kept on a run; older ones are counted in `failed`, not listed. */
const maxRunErrors = 50;

/**
 * The run a crawl message belongs to, created if the message is the first to mention it (a crawl request
 * through the input gateway has no run until the engine sees it). A queued run becomes running.
 */
export async function beginCrawlRun(transaction: Queryable, run: CrawlRunStart): Promise<void> {
  await transaction.query(
    `INSERT INTO crawl_runs (id, kind, target, trigger, requested_by, source_id, status, started_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'running', clock_timestamp())
     ON CONFLICT (id) DO UPDATE SET
       status = CASE WHEN crawl_runs.status = 'queued' THEN 'running' ELSE crawl_runs.status END,
       started_at = coalesce(crawl_runs.started_at, clock_timestamp()),
       updated_at = clock_timestamp()`,
    [run.id, run.kind, run.target, run.trigger ?? 'request', run.requestedBy ?? null, run.sourceId ?? null],
  );
}

/** The repositories a run will crawl; `total` becomes their number (items already there are kept). */
export async function planCrawlRunItems(
  transaction: Queryable,
  runId: string,
  items: string[],
): Promise<void> {
  await transaction.query(
    `WITH added AS (
       INSERT INTO crawl_run_items (run_id, item) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING RETURNING 1
     )
     UPDATE crawl_runs SET total = (SELECT count(*) FROM crawl_run_items WHERE run_id = $1) + (SELECT count(*) FROM added),
       updated_at = clock_timestamp()
     WHERE id = $1`,
    [runId, items],
  );
  await finishRunIfComplete(transaction, runId);
}

/**
 * Records one repository's outcome. A redelivered message finds the item already finished and changes
 * nothing; the run is done when every item has finished (failed if every one of them failed).
 */
export async function finishCrawlRunItem(
  transaction: Queryable,
  runId: string,
  item: string,
  outcome: { status: 'done' | 'failed'; error?: string; apiCost?: number },
): Promise<void> {
  const { rowCount } = await transaction.query(
    `WITH finished AS (
       INSERT INTO crawl_run_items AS i (run_id, item, status, error, api_cost, finished_at)
       VALUES ($1, $2, $3, $4, $5, clock_timestamp())
       ON CONFLICT (run_id, item) DO UPDATE SET status = EXCLUDED.status, error = EXCLUDED.error,
         api_cost = EXCLUDED.api_cost, finished_at = EXCLUDED.finished_at
       WHERE i.status = 'pending'
       RETURNING (xmax = 0) AS inserted
     )
     UPDATE crawl_runs r SET
       done = r.done + CASE WHEN $3 = 'done' THEN 1 ELSE 0 END,
       failed = r.failed + CASE WHEN $3 = 'failed' THEN 1 ELSE 0 END,
       total = CASE WHEN (SELECT inserted FROM finished) THEN greatest(coalesce(r.total, 0), r.done + r.failed + 1) ELSE r.total END,
       errors = CASE WHEN $3 = 'failed'
         THEN (jsonb_build_array(jsonb_build_object('repository', $2::text, 'error', $4::text, 'at', clock_timestamp())) || r.errors)
           - ${maxRunErrors}
         ELSE r.errors END,
       updated_at = clock_timestamp()
     FROM finished WHERE r.id = $1`,
    [runId, item, outcome.status, outcome.error ?? null, outcome.apiCost ?? 0],
  );
  if (rowCount) await finishRunIfComplete(transaction, runId);
}

/** Adds GitHub API cost to a run as it is spent (autocommit, so a deferred message's spending still shows). */
export async function addCrawlRunCost(database: Queryable, runId: string, cost: number): Promise<void> {
  if (cost <= 0) return;
  await database.query(
    `UPDATE crawl_runs SET api_cost = api_cost + $2, updated_at = clock_timestamp() WHERE id = $1`,
    [runId, cost],
  );
}

/** The run as a whole failed (the organisation does not exist, say): no repository will follow. */
export async function failCrawlRun(transaction: Queryable, runId: string, error: string): Promise<void> {
  await transaction.query(
    `UPDATE crawl_runs SET status = 'failed', error = $2, finished_at = coalesce(finished_at, clock_timestamp()), updated_at = clock_timestamp(),
       total = coalesce(total, 0)
     WHERE id = $1`,
    [runId, error],
  );
}

async function finishRunIfComplete(transaction: Queryable, runId: string): Promise<void> {
  await transaction.query(
    `UPDATE crawl_runs SET
       status = CASE WHEN failed > 0 AND done = 0 THEN 'failed' ELSE 'done' END,
       error = CASE WHEN failed > 0 AND done = 0 THEN coalesce(error, errors -> 0 ->> 'error') ELSE error END,
       finished_at = clock_timestamp(), updated_at = clock_timestamp()
     WHERE id = $1 AND status IN ('queued', 'running') AND total IS NOT NULL AND done + failed >= total`,
    [runId],
  );
}

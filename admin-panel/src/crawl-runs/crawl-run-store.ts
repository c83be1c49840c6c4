import type { Queryable, SourceKind } from '@repopulse/core';

export interface CrawlRunRecord {
  id: string;
  sourceId: string | null;
  kind: SourceKind;
  target: string;
  trigger: 'admin' | 'schedule' | 'request';
  requestedBy: string | null;
  status: 'queued' | 'running' | 'done' | 'failed';
  done: number;
  failed: number;
  total: number | null;
  apiCost: number;
  error: string | null;
  errors: Array<{ repository: string; error: string; at: string }>;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** created_at to the microsecond, for the page cursor (a Date keeps milliseconds only). */
  createdAtKey: string;
}

export interface CrawlRunFilters {
  status?: string;
  sourceId?: string;
  limit: number;
  before?: string[];
}

const columns = `crawl_runs.id, crawl_runs.source_id::text AS "sourceId", crawl_runs.kind, crawl_runs.target,
  crawl_runs.trigger, crawl_runs.requested_by AS "requestedBy", crawl_runs.status, crawl_runs.done,
  crawl_runs.failed, crawl_runs.total, crawl_runs.api_cost AS "apiCost", crawl_runs.error, crawl_runs.errors,
  crawl_runs.created_at AS "createdAt", crawl_runs.started_at AS "startedAt",
  crawl_runs.finished_at AS "finishedAt",
  to_char(crawl_runs.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAtKey"`;

/** Newest first; `limit + 1` rows, so the caller knows whether a next page exists. */
export async function listCrawlRuns(
  database: Queryable,
  filters: CrawlRunFilters,
): Promise<CrawlRunRecord[]> {
  const [beforeAt, beforeId] = filters.before ?? [null, null];
  const { rows } = await database.query<CrawlRunRecord>(
    `SELECT ${columns} FROM crawl_runs
      WHERE ($1::text IS NULL OR crawl_runs.status = $1)
        AND ($2::bigint IS NULL OR crawl_runs.source_id = $2)
        AND ($3::timestamptz IS NULL OR (crawl_runs.created_at, crawl_runs.id) < ($3::timestamptz, $4::text))
      ORDER BY crawl_runs.created_at DESC, crawl_runs.id DESC
      LIMIT $5`,
    [filters.status ?? null, filters.sourceId ?? null, beforeAt, beforeId, filters.limit + 1],
  );
  return rows;
}

export async function findCrawlRun(database: Queryable, id: string): Promise<CrawlRunRecord | undefined> {
  const { rows } = await database.query<CrawlRunRecord>(
    `SELECT ${columns} FROM crawl_runs WHERE crawl_runs.id = $1`,
    [id],
  );
  return rows[0];
}

/** The source's run that is still queued or running, if any: a second one would crawl the same twice. */
export async function findActiveRunOfSource(
  transaction: Queryable,
  sourceId: string,
): Promise<{ id: string; status: string } | undefined> {
  const { rows } = await transaction.query<{ id: string; status: string }>(
    `SELECT crawl_runs.id, crawl_runs.status FROM crawl_runs
      WHERE crawl_runs.source_id = $1 AND crawl_runs.status IN ('queued', 'running')
      ORDER BY crawl_runs.created_at DESC LIMIT 1`,
    [sourceId],
  );
  return rows[0];
}

/**
 * The source, locked until the transaction ends: cron takes the same lock before it starts a run, so an
 * admin's trigger and a scheduled firing never both start one.
 */
export async function lockSource(
  transaction: Queryable,
  id: string,
): Promise<{ id: string; kind: SourceKind; target: string } | undefined> {
  const { rows } = await transaction.query<{ id: string; kind: SourceKind; target: string }>(
    `SELECT sources.id::text AS id, sources.kind, sources.target FROM sources WHERE sources.id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0];
}

import type { Queryable, SourceKind } from '@repopulse/core';

export interface SourceHealthRecord {
  sourceId: string;
  kind: SourceKind;
  target: string;
  enabled: boolean;
  lastRunStatus: string | null;
  lastSuccessAt: Date | null;
  lastErrorAt: Date | null;
  lastError: string | null;
}

export interface TokenHealthRecord {
  label: string;
  resource: string;
  limit: number | null;
  remaining: number | null;
  resetAt: Date | null;
  rejectedAt: Date | null;
  rejectedReason: string | null;
  updatedAt: Date;
}

/**
 * Per source: its latest run's status, its latest successful run, and its latest trouble — a failed run,
 * or a finished one in which some repositories failed (their first error stands for the run's).
 */
export async function selectSourceHealth(database: Queryable): Promise<SourceHealthRecord[]> {
  const { rows } = await database.query<SourceHealthRecord>(
    `SELECT sources.id::text AS "sourceId", sources.kind, sources.target, sources.enabled,
            latest.status AS "lastRunStatus", success.finished_at AS "lastSuccessAt",
            trouble.at AS "lastErrorAt", trouble.error AS "lastError"
       FROM sources
       LEFT JOIN LATERAL (
         SELECT crawl_runs.status FROM crawl_runs WHERE crawl_runs.source_id = sources.id
          ORDER BY crawl_runs.created_at DESC LIMIT 1
       ) AS latest ON true
       LEFT JOIN LATERAL (
         SELECT crawl_runs.finished_at FROM crawl_runs
          WHERE crawl_runs.source_id = sources.id AND crawl_runs.status = 'done' AND crawl_runs.failed = 0
          ORDER BY crawl_runs.finished_at DESC NULLS LAST LIMIT 1
       ) AS success ON true
       LEFT JOIN LATERAL (
         SELECT coalesce(crawl_runs.finished_at, crawl_runs.updated_at) AS at,
                coalesce(crawl_runs.error, crawl_runs.errors -> 0 ->> 'error') AS error
           FROM crawl_runs
          WHERE crawl_runs.source_id = sources.id
            AND (crawl_runs.status = 'failed' OR crawl_runs.failed > 0)
          ORDER BY coalesce(crawl_runs.finished_at, crawl_runs.updated_at) DESC LIMIT 1
       ) AS trouble ON true
      ORDER BY sources.id`,
  );
  return rows;
}

export async function selectTokenHealth(database: Queryable): Promise<TokenHealthRecord[]> {
  const { rows } = await database.query<TokenHealthRecord>(
    `SELECT github_tokens.label, github_tokens.resource, github_tokens.rate_limit AS "limit",
            github_tokens.remaining, github_tokens.reset_at AS "resetAt",
            github_tokens.rejected_at AS "rejectedAt", github_tokens.rejected_reason AS "rejectedReason",
            github_tokens.updated_at AS "updatedAt"
       FROM github_tokens ORDER BY github_tokens.label, github_tokens.resource`,
  );
  return rows;
}

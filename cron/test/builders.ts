import type { Queryable } from '@repopulse/core';

export interface SourceRow {
  kind?: 'github-org' | 'github-user' | 'github-repo' | 'git';
  target: string;
  schedule?: string | null;
  enabled?: boolean;
  /** Seconds ago the source was last edited (default: now). */
  editedSecondsAgo?: number;
  /** Gives the source a finished crawl run, so it is not new and gets no first crawl. */
  crawledBefore?: boolean;
}

/** A source as the admin API would store it (or as SQL written around it would). */
export async function insertSource(database: Queryable, source: SourceRow): Promise<string> {
  const { rows } = await database.query<{ id: string }>(
    `INSERT INTO sources (kind, target, schedule, enabled, created_at, updated_at)
     VALUES ($1, $2, $3, $4, now() - $5 * interval '1 second', now() - $5 * interval '1 second')
     RETURNING id::text`,
    [
      source.kind ?? 'git',
      source.target,
      source.schedule ?? null,
      source.enabled ?? true,
      source.editedSecondsAgo ?? 0,
    ],
  );
  const id = rows[0]!.id;
  if (source.crawledBefore) {
    await database.query(
      `INSERT INTO crawl_runs (id, source_id, kind, target, trigger, status, total, done, finished_at)
       VALUES ('earlier-' || $1, $1::bigint, $2, $3, 'admin', 'done', 1, 1, now())`,
      [id, source.kind ?? 'git', source.target],
    );
  }
  return id;
}

export interface FiringRow {
  occurrence: Date;
  reason: string;
  outcome: string;
  crawlRunId: string | null;
  skippedReason: string | null;
  firedBy: string;
}

export async function firingsOf(database: Queryable, sourceId: string): Promise<FiringRow[]> {
  const { rows } = await database.query<FiringRow>(
    `SELECT occurrence, reason, outcome, crawl_run_id AS "crawlRunId", skipped_reason AS "skippedReason",
            fired_by AS "firedBy"
       FROM schedule_firings WHERE source_id = $1 ORDER BY occurrence`,
    [sourceId],
  );
  return rows;
}

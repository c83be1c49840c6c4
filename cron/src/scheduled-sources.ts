import type { Queryable } from '@repopulse/core';

export interface ScheduledSource {
  id: string;
  schedule: string | null;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** The latest occurrence any replica fired (or skipped) for it. */
  lastOccurrence: Date | null;
  /** Never crawled at all: no run, by anyone, and no firing. */
  neverCrawled: boolean;
}

/** Every source with what cron needs to schedule it; read again every reload, so admins' edits show. */
export async function loadScheduledSources(database: Queryable): Promise<ScheduledSource[]> {
  const { rows } = await database.query<ScheduledSource>(
    `SELECT sources.id::text AS id, sources.schedule, sources.enabled,
            sources.created_at AS "createdAt", sources.updated_at AS "updatedAt",
            last.occurrence AS "lastOccurrence",
            (last.occurrence IS NULL AND NOT EXISTS (
               SELECT 1 FROM crawl_runs WHERE crawl_runs.source_id = sources.id)) AS "neverCrawled"
       FROM sources
       LEFT JOIN LATERAL (
         SELECT schedule_firings.occurrence FROM schedule_firings
          WHERE schedule_firings.source_id = sources.id
          ORDER BY schedule_firings.occurrence DESC LIMIT 1
       ) AS last ON true
      ORDER BY sources.id`,
  );
  return rows;
}

/** Keeps a week of firings, and always each source's latest, which catch-up reckons from. */
export async function pruneScheduleFirings(database: Queryable): Promise<number> {
  const { rowCount } = await database.query(
    `DELETE FROM schedule_firings
      WHERE schedule_firings.fired_at < now() - interval '7 days'
        AND schedule_firings.occurrence < (
          SELECT max(latest.occurrence) FROM schedule_firings AS latest
           WHERE latest.source_id = schedule_firings.source_id)`,
  );
  return rowCount ?? 0;
}

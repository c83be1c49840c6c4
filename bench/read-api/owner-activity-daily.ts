import type pg from 'pg';

/**
 * The owner rollup (migration 0006) as the engine keeps it: per host, lower-cased owner and UTC day, the
 * sum of activity_daily over the owner's repositories. Undefined when the table is not there (a database
 * migrated before 0006).
 */
export async function buildOwnerActivityDaily(client: pg.Client): Promise<number | undefined> {
  const { rows } = await client.query<{ exists: boolean }>(
    `SELECT to_regclass('owner_activity_daily') IS NOT NULL AS exists`,
  );
  if (!rows[0]!.exists) return undefined;
  const result = await client.query(
    `INSERT INTO owner_activity_daily (host, owner_key, day, commits, pull_requests_opened, pull_requests_merged,
       issues_opened, issues_closed, releases, stars, forks)
     SELECT lower(r.host), lower(r.owner), a.day, sum(a.commits), sum(a.pull_requests_opened),
            sum(a.pull_requests_merged), sum(a.issues_opened), sum(a.issues_closed), sum(a.releases), sum(a.stars),
            sum(a.forks)
     FROM activity_daily AS a JOIN repositories AS r ON r.id = a.repository_id
     GROUP BY lower(r.host), lower(r.owner), a.day
     ORDER BY 1, 2, 3`,
  );
  return result.rowCount ?? 0;
}

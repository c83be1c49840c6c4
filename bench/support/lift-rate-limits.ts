import type { Queryable } from '@repopulse/core';

/**
 * Raises every ACL rule's rate limit out of reach for the run (the limiter still runs) and returns what
 * puts them back, for a database that outlives the run (the shared read dataset, which other benchmarks
 * reuse).
 */
export async function liftRateLimits(database: Queryable): Promise<() => Promise<void>> {
  const { rows } = await database.query<{ id: string; perMinute: number | null; burst: number | null }>(
    `SELECT id::text AS id, rate_limit_per_minute AS "perMinute", rate_limit_burst AS burst FROM acl_rules`,
  );
  await database.query(
    `UPDATE acl_rules SET rate_limit_per_minute = 100000000, rate_limit_burst = 1000000
      WHERE rate_limit_per_minute IS NOT NULL`,
  );
  return async () => {
    await database.query(
      `UPDATE acl_rules SET rate_limit_per_minute = saved.per_minute, rate_limit_burst = saved.burst
         FROM unnest($1::bigint[], $2::integer[], $3::integer[]) AS saved (id, per_minute, burst)
        WHERE acl_rules.id = saved.id`,
      [rows.map((row) => row.id), rows.map((row) => row.perMinute), rows.map((row) => row.burst)],
    );
  };
}

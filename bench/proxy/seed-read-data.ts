import { randomBytes } from 'node:crypto';
import { createApiKey, createUser, type Queryable } from '@repopulse/core';
import { liftRateLimits } from '../support/lift-rate-limits.js';

export interface SeededReadData {
  /** The read API path (output gateway) of a year of weekly activity. */
  activityPath: string;
  username: string;
  password: string;
  apiKey: string;
}

const owner = 'bench-org';
const name = 'bench-repo';

/**
 * One repository with a year of the daily activity rollup, so the measured read is a dashboard's: 53
 * weekly buckets summed from 365 rows. Counts vary by day (deterministically) so no bucket is trivial.
 */
async function insertRepositoryWithAYearOfActivity(database: Queryable): Promise<void> {
  const { rows } = await database.query<{ id: string }>(
    `INSERT INTO repositories (host, owner, name) VALUES ('github.com', $1, $2) RETURNING id::text AS id`,
    [owner, name],
  );
  await database.query(
    `INSERT INTO activity_daily (repository_id, day, commits, pull_requests_opened, pull_requests_merged,
                                 issues_opened, issues_closed, releases, stars, forks)
     SELECT $1, days.day::date,
            (n * 7) % 23, (n * 3) % 5, (n * 5) % 4, (n * 11) % 6, (n * 13) % 5,
            CASE WHEN n % 30 = 0 THEN 1 ELSE 0 END, (n * 17) % 40, (n * 19) % 7
       FROM generate_series('2025-01-01'::date, '2025-12-31'::date, interval '1 day') AS days (day),
            LATERAL (SELECT extract(doy FROM days.day)::integer AS n) AS numbered`,
    [rows[0]!.id],
  );
}

/** Data, an analyst who logs in for a JWT, and an analyst API key, in the benchmark's own database. */
export async function seedReadData(database: Queryable): Promise<SeededReadData> {
  await insertRepositoryWithAYearOfActivity(database);
  // The benchmark measures what forwarding costs, not the rate limiter's answer: the seeded limit of the
  // read API (1,200 a minute per caller) would turn the run into 429s after the first 200 requests. The
  // limits are raised out of reach rather than removed, so the limiter's own work stays in the figures
  // (the database is the benchmark's own, dropped afterwards: nothing to put back).
  await liftRateLimits(database);
  const username = 'bench-analyst';
  const password = randomBytes(12).toString('base64url');
  await createUser(database, { username, password, roles: ['analyst'] });
  const { key } = await createApiKey(database, { name: 'proxy benchmark', role: 'analyst' });
  return {
    activityPath: `/v1/repositories/${owner}/${name}/activity?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&interval=week`,
    username,
    password,
    apiKey: key,
  };
}

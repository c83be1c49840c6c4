import type { Queryable } from '@repopulse/core';

export interface RepositoryRow {
  host?: string;
  owner: string;
  name: string;
  description?: string | null;
  homepage?: string | null;
  language?: string | null;
  languages?: Record<string, number> | null;
  topics?: string[] | null;
  license?: string | null;
  defaultBranch?: string | null;
  archived?: boolean | null;
  fork?: boolean | null;
  stars?: number | null;
  forks?: number | null;
  watchers?: number | null;
  openIssues?: number | null;
  createdAt?: string | null;
  pushedAt?: string | null;
}

/** Inserts a repository with the metadata given (the rest null, as before its first crawl); returns its id. */
export async function insertRepositoryRow(database: Queryable, row: RepositoryRow): Promise<string> {
  const result = await database.query<{ id: string }>(
    `INSERT INTO repositories (host, owner, name, description, homepage, primary_language, languages, topics,
                               license, default_branch, archived, is_fork, stars, forks, watchers, open_issues,
                               repo_created_at, pushed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
     RETURNING id::text AS id`,
    [
      row.host ?? 'github.com',
      row.owner,
      row.name,
      row.description ?? null,
      row.homepage ?? null,
      row.language ?? null,
      row.languages === undefined || row.languages === null ? null : JSON.stringify(row.languages),
      row.topics ?? null,
      row.license ?? null,
      row.defaultBranch ?? null,
      row.archived ?? null,
      row.fork ?? null,
      row.stars ?? null,
      row.forks ?? null,
      row.watchers ?? null,
      row.openIssues ?? null,
      row.createdAt ?? null,
      row.pushedAt ?? null,
    ],
  );
  return result.rows[0]!.id;
}

/** `count` repositories `<prefix>-0001`… of one owner in one statement, stars descending with the number. */
export async function insertManyRepositories(
  database: Queryable,
  options: { owner: string; prefix: string; count: number; language?: string },
): Promise<void> {
  await database.query(
    `INSERT INTO repositories (host, owner, name, description, primary_language, stars, forks, archived)
     SELECT 'github.com', $1, $2 || '-' || lpad(n::text, 4, '0'), 'Bulk "' || n || '", for paging', $4,
            $3 - n, n % 7, false
       FROM generate_series(1, $3) AS n`,
    [options.owner, options.prefix, options.count, options.language ?? null],
  );
}

export type StoredMetric = { value: number | null; reason?: string; version?: number };

export interface HealthDocument {
  score: number | null;
  components: Array<{
    name: string;
    weight: number;
    score: number | null;
    inputs: Array<{ metric: string; value: number | null; score: number | null }>;
    reason: string;
  }>;
  renormalised: boolean;
  note?: string;
}

/** A health document as the engine stores it: one component known, the others left out. */
export function healthDocument(score: number | null): HealthDocument {
  const component = (name: string, weight: number, known: boolean) => ({
    name,
    weight,
    score: known ? score : null,
    inputs: [{ metric: 'commits_90d', value: known ? 30 : null, score: known ? score : null }],
    reason: known ? '30 commits in 90 days (≥ 26)' : 'left out, no input known: commits unknown (no_commits)',
  });
  return {
    score,
    components: [
      component('activity', 25, score !== null),
      component('community', 25, false),
      component('responsiveness', 20, false),
      component('maintenance', 20, false),
      component('growth', 10, false),
    ],
    renormalised: score !== null,
    ...(score === null
      ? { note: 'No component has a known input: no score.' }
      : { note: 'Left out for want of data: community, responsiveness, maintenance and growth.' }),
  };
}

/** Writes the repository's snapshot as the engine does; metrics given as numbers are version 1. */
export async function insertSnapshot(
  database: Queryable,
  repositoryId: string,
  snapshot: {
    computedAt: string;
    metrics: Record<string, number | StoredMetric>;
    healthScore: number | null;
  },
): Promise<void> {
  const metrics = Object.fromEntries(
    Object.entries(snapshot.metrics).map(([name, metric]) => [
      name,
      typeof metric === 'number' ? { value: metric, version: 1 } : { version: 1, ...metric },
    ]),
  );
  await database.query(
    `INSERT INTO metric_snapshots (repository_id, computed_at, metrics, health, health_score)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (repository_id) DO UPDATE SET computed_at = EXCLUDED.computed_at, metrics = EXCLUDED.metrics,
       health = EXCLUDED.health, health_score = EXCLUDED.health_score, updated_at = now()`,
    [
      repositoryId,
      snapshot.computedAt,
      JSON.stringify(metrics),
      JSON.stringify(healthDocument(snapshot.healthScore)),
      snapshot.healthScore,
    ],
  );
}

/** Daily points of one metric: `[day, value]` pairs, null values with the reason `no_commits`. */
export async function insertMetricPoints(
  database: Queryable,
  repositoryId: string,
  metric: string,
  points: ReadonlyArray<readonly [day: string, value: number | null]>,
): Promise<void> {
  await database.query(
    `INSERT INTO metric_points (repository_id, metric, day, value, reason, version)
     SELECT $1, $2, point.day, point.value, CASE WHEN point.value IS NULL THEN 'no_commits' END, 1
       FROM unnest($3::date[], $4::float8[]) AS point (day, value)`,
    [repositoryId, metric, points.map(([day]) => day), points.map(([, value]) => value)],
  );
}

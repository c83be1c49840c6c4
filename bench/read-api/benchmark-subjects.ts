import type { Queryable } from '@repopulse/core';

export interface RepositorySubject {
  id: string;
  owner: string;
  name: string;
  language: string | null;
}

/** What the samples ask about, drawn once per run with a fixed seed, so every run asks the same. */
export interface Subjects {
  /** The dataset's "now": when it was generated and its metrics computed. */
  asOf: Date;
  repositories: RepositorySubject[];
  organisations: Array<{ owner: string; repositoryIds: string[] }>;
  /** Sets of five different repositories, for compare. */
  comparisons: RepositorySubject[][];
  /** Sets of five among the repositories with a year of daily metric points (the generator's subset). */
  seriesComparisons: RepositorySubject[][];
}

/** mulberry32: a small seeded generator, enough to draw subjects reproducibly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fiveDifferent(pick: () => RepositorySubject): RepositorySubject[] {
  const chosen = new Map<string, RepositorySubject>();
  while (chosen.size < 5) {
    const repository = pick();
    chosen.set(repository.id, repository);
  }
  return [...chosen.values()];
}

export async function drawSubjects(database: Queryable, count: number): Promise<Subjects> {
  const { rows } = await database.query<RepositorySubject & { series: boolean }>(
    `SELECT repositories.id::text AS id, repositories.owner, repositories.name,
            repositories.primary_language AS language, repositories.metrics_computed_at IS NOT NULL
              AND EXISTS (SELECT 1 FROM metric_points
                           WHERE metric_points.repository_id = repositories.id AND metric_points.metric = 'stars'
                             AND metric_points.day < (repositories.metrics_computed_at AT TIME ZONE 'UTC')::date) AS series
       FROM repositories ORDER BY repositories.id`,
  );
  const { rows: asOf } = await database.query<{ as_of: Date | null }>(
    'SELECT max(computed_at) AS as_of FROM metric_snapshots',
  );
  if (rows.length === 0 || !asOf[0]?.as_of) {
    throw new Error('The benchmark database holds no dataset: run `npm run bench:read-api:generate` first.');
  }
  const random = seededRandom(7);
  const withSeries = rows.filter((row) => row.series);
  const pickFrom = (list: RepositorySubject[]) => () => list[Math.floor(random() * list.length)]!;
  const byOwner = new Map<string, string[]>();
  for (const row of rows) byOwner.set(row.owner, [...(byOwner.get(row.owner) ?? []), row.id]);
  const owners = [...byOwner.keys()];
  return {
    asOf: asOf[0].as_of,
    repositories: Array.from({ length: count }, pickFrom(rows)),
    organisations: Array.from({ length: count }, () => {
      const owner = owners[Math.floor(random() * owners.length)]!;
      return { owner, repositoryIds: byOwner.get(owner)! };
    }),
    comparisons: Array.from({ length: count }, () => fiveDifferent(pickFrom(rows))),
    seriesComparisons:
      withSeries.length < 5 ? [] : Array.from({ length: count }, () => fiveDifferent(pickFrom(withSeries))),
  };
}

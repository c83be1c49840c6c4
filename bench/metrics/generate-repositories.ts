// The two datasets of the metrics benchmark: one large repository, and many small ones. Both are written by
// `generate-facts.ts` from a shape per repository, in one transaction each, then analysed.
import type { Database, Queryable } from '@repopulse/core';
import { createShapesTable, insertFactsOfShapes } from './generate-facts.js';

export interface LargeRepositoryOptions {
  commits: number;
  pullRequests: number;
  issues: number;
  now: Date;
}

export interface ManyRepositoriesOptions {
  repositories: number;
  now: Date;
}

async function generate(
  database: Database,
  now: Date,
  seed: number,
  shape: (transaction: Queryable) => Promise<void>,
): Promise<void> {
  await database.transaction(async (transaction) => {
    await transaction.query('SELECT setseed($1)', [seed]);
    await transaction.query(createShapesTable);
    await shape(transaction);
    await insertFactsOfShapes(transaction, now);
  });
  for (const table of [
    'repositories',
    'commits',
    'pull_requests',
    'issues',
    'releases',
    'repository_counts_daily',
  ])
    await database.query(`ANALYZE ${table}`);
}

/**
 * One repository with two years of history: `commits` commits by 400 authors (a long tail: the first
 * writes ~14 %, hundreds write a handful) plus two bots (4 %), merges (5 %), numstat; `pullRequests` pull
 * requests and `issues` issues opened evenly, most answered and merged or closed; a release every two weeks;
 * the counts observed every day; 8,000 stargazers and 1,500 forks. Returns its id.
 */
export async function generateLargeRepository(
  database: Database,
  options: LargeRepositoryOptions,
): Promise<string> {
  const { rows } = await database.query<{ id: string }>(
    `INSERT INTO repositories (host, owner, name) VALUES ('github.com', 'bench-metrics', 'large') RETURNING id::text`,
  );
  const repositoryId = rows[0]!.id;
  await generate(database, options.now, 0.25, async (transaction) => {
    await transaction.query(
      `INSERT INTO bench_shapes VALUES ($1, $2, $3, $4, 52, 8000, 1500, 730, 730, 400, 0, 9000, 1600, false)`,
      [repositoryId, options.commits, options.pullRequests, options.issues],
    );
  });
  return repositoryId;
}

/**
 * `repositories` repositories, each with a small history of its own: 10–90 commits (50 on average) by 1–12
 * authors drawn from a pool shared by all (people work on several), 0–20 pull requests and 0–20 issues,
 * 0–5 releases, a few stars and forks, an age of 60 days to three years (most older than a year), counts
 * observed for the last 90 days (the platform's own age), one in fifty archived. Returns their ids.
 */
export async function generateManyRepositories(
  database: Database,
  options: ManyRepositoriesOptions,
): Promise<string[]> {
  const { rows } = await database.query<{ id: string }>(
    `INSERT INTO repositories (host, owner, name)
     SELECT 'github.com', 'bench-many', 'repository-' || lpad(g.i::text, 6, '0') FROM generate_series(1, $1) AS g (i)
     RETURNING id::text`,
    [options.repositories],
  );
  const ids = rows.map((row) => row.id);
  await generate(database, options.now, 0.5, async (transaction) => {
    await transaction.query(
      `INSERT INTO bench_shapes
       SELECT s.id, 10 + floor(random() * 81), floor(random() * 21), floor(random() * 21), floor(random() * 6),
              floor(random() * 40), floor(random() * 8), s.history_days, least(s.history_days, 90),
              1 + floor(random() ^ 2 * 12), floor(random() * 20000), s.stars, s.stars / 8, random() < 0.02
       FROM (SELECT id, 60 + floor(random() ^ 0.5 * 1035)::integer AS history_days,
                    floor(exp(random() * 8))::integer AS stars
             FROM unnest($1::bigint[]) AS id OFFSET 0) AS s`,
      [ids],
    );
  });
  return ids;
}

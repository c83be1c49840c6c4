// The read-API benchmark's dataset: its database, how many organisations, repositories and facts of each
// kind it holds, and over how long. The generator writes it; the benchmark reads it.

export const benchDatabaseUrl =
  process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/repopulse_bench_read';

/** `BENCH_SCALE` (default 1) scales the fact counts, for a quick try of the generator on a small dataset. */
const scale = Number(process.env.BENCH_SCALE ?? 1);

export const datasetShape = {
  organisations: 100,
  repositoriesPerOrganisation: 100,
  /** Facts lie in the last two years before the generation. */
  windowDays: 730,
  /** 10,000,000 in all at scale 1, shared out among the repositories by long-tailed weights. */
  facts: {
    commits: Math.round(6_500_000 * scale),
    pullRequests: Math.round(1_500_000 * scale),
    issues: Math.round(1_200_000 * scale),
    stars: Math.round(600_000 * scale),
    forks: Math.round(150_000 * scale),
    releases: Math.round(50_000 * scale),
  },
  /** Daily star/fork snapshots (`repository_counts_daily`) reach back a year, the longest metric window. */
  countSnapshotDays: 365,
} as const;

export type FactKind = keyof typeof datasetShape.facts;

export function totalFacts(): number {
  return Object.values(datasetShape.facts).reduce((sum, count) => sum + count, 0);
}

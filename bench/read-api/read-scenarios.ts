import type { Queryable } from '@repopulse/core';
import type { RepositorySubject, Subjects } from './benchmark-subjects.js';
import { rawWeeklyActivity } from './raw-activity.js';
import { rawWeeklyMetrics } from './raw-metric-series.js';
import { metricDifferences, rawMetrics, type RawMetrics } from './raw-metrics.js';
import { rawPortfolio, type RawPortfolio } from './raw-portfolio.js';
import { rawRepositoryPage } from './raw-repository-list.js';
import { rawTrends, type RawTrends } from './raw-trends.js';
import type { ReadScenario } from './read-scenario.js';

const dayMs = 86_400_000;
const listPageSize = 50;
const trendLimit = 10;

const sample = <T>(list: readonly T[], index: number): T => list[index % list.length]!;
const repos = (repositories: readonly RepositorySubject[]) =>
  repositories.map(({ owner, name }) => `${owner}/${name}`).join(',');
const ids = (repositories: readonly RepositorySubject[]) => repositories.map(({ id }) => id);

/** A year of weeks ending with the dataset's last day, as a dashboard asks for it. */
function lastYear(asOf: Date): { from: Date; to: Date; query: string } {
  const to = new Date(Math.floor(asOf.getTime() / dayMs) * dayMs + dayMs);
  const from = new Date(to.getTime() - 364 * dayMs);
  return { from, to, query: `from=${from.toISOString()}&to=${to.toISOString()}&interval=week` };
}

/**
 * No read at all: the gateway's /health (no database) against `SELECT 1`. What any request costs on this
 * machine at this moment (HTTP, express, a round trip), the floor under every other row.
 */
function floorScenario(database: Queryable): ReadScenario {
  return {
    name: 'floor: /health, SELECT 1',
    targeted: false,
    path: () => '/health',
    raw: () => database.query('SELECT 1'),
  };
}

function detailScenario(database: Queryable, subjects: Subjects): ReadScenario {
  return {
    name: 'repository detail',
    targeted: true,
    path: (index) => {
      const { owner, name } = sample(subjects.repositories, index);
      return `/v1/repositories/${owner}/${name}`;
    },
    raw: (index) => rawMetrics(database, [sample(subjects.repositories, index).id], subjects.asOf),
    compare: (endpoint, raw) =>
      metricDifferences(
        (endpoint as { metrics: Record<string, number | null> }).metrics,
        (raw as RawMetrics[])[0]!,
      ),
  };
}

function activityScenario(database: Queryable, subjects: Subjects): ReadScenario {
  const { from, to, query } = lastYear(subjects.asOf);
  return {
    name: 'activity, a year by week',
    targeted: true,
    path: (index) => {
      const { owner, name } = sample(subjects.repositories, index);
      return `/v1/repositories/${owner}/${name}/activity?${query}`;
    },
    raw: (index) => rawWeeklyActivity(database, [sample(subjects.repositories, index).id], from, to),
    compare(endpoint, raw) {
      const series = JSON.stringify((endpoint as { series: unknown }).series);
      return series === JSON.stringify(raw)
        ? undefined
        : `endpoint ${series}\nraw      ${JSON.stringify(raw)}`;
    },
  };
}

interface CompareAnswer {
  repositories: Array<{ metrics: Record<string, number | null>; series?: Array<Record<string, unknown>> }>;
}

function compareScenario(database: Queryable, subjects: Subjects): ReadScenario {
  return {
    name: 'compare of 5',
    targeted: true,
    path: (index) => `/v1/compare?repos=${repos(sample(subjects.comparisons, index))}`,
    raw: (index) => rawMetrics(database, ids(sample(subjects.comparisons, index)), subjects.asOf),
    compare(endpoint, raw) {
      const differences = (endpoint as CompareAnswer).repositories
        .map((repository, position) =>
          metricDifferences(repository.metrics, (raw as RawMetrics[])[position]!),
        )
        .filter((difference) => difference !== undefined);
      return differences.length === 0 ? undefined : differences.join('\n');
    },
  };
}

/**
 * Where the endpoint's weekly points differ from the facts' (undefined if nowhere). Before a repository's
 * first fact the endpoint has no point (null) where the facts count 0.
 */
function seriesDifference(
  points: Array<Record<string, unknown>>,
  rawPoints: Array<Record<string, unknown>>,
): string | undefined {
  if (points.length !== rawPoints.length) return `${points.length} weeks, raw ${rawPoints.length}`;
  for (const [position, point] of points.entries()) {
    for (const name of ['commits_30d', 'pull_requests_merged_90d', 'contributors_90d']) {
      const rawPoint = rawPoints[position]!;
      if (point[name] !== null && (point.start !== rawPoint.start || point[name] !== rawPoint[name])) {
        return `${name} of the week ${point.start}: endpoint ${point[name]}, raw ${rawPoint[name]} (${rawPoint.start})`;
      }
    }
  }
  return undefined;
}

const seriesNames = 'commits_30d,pull_requests_merged_90d,contributors_90d,stars,health_score';

/** One repository's metric series as its dashboard charts it: five metrics, a year by week. */
function metricSeriesScenario(database: Queryable, subjects: Subjects): ReadScenario {
  const { from, query } = lastYear(subjects.asOf);
  const withSeries = subjects.seriesComparisons.flat();
  return {
    name: 'metric series, a year of 5 metrics',
    targeted: false,
    path: (index) => {
      const { owner, name } = sample(withSeries, index);
      return `/v1/repositories/${owner}/${name}/metrics?names=${seriesNames}&${query}`;
    },
    raw: (index) => rawWeeklyMetrics(database, [sample(withSeries, index).id], from, subjects.asOf),
    compare: (endpoint, raw) =>
      seriesDifference(
        (endpoint as { series: Array<Record<string, unknown>> }).series,
        raw as Array<Record<string, unknown>>,
      ),
  };
}

/** Compare as a dashboard charts it: four metrics and the health score, a year by week, per repository. */
function compareSeriesScenario(database: Queryable, subjects: Subjects): ReadScenario {
  const { from, query } = lastYear(subjects.asOf);
  return {
    name: 'compare of 5, a year of 5 metrics',
    targeted: true,
    path: (index) =>
      `/v1/compare?repos=${repos(sample(subjects.seriesComparisons, index))}&names=${seriesNames}&${query}`,
    raw: (index) =>
      rawWeeklyMetrics(database, ids(sample(subjects.seriesComparisons, index)), from, subjects.asOf),
    compare: (endpoint, raw) =>
      seriesDifference(
        (endpoint as CompareAnswer).repositories.flatMap((repository) => repository.series ?? []),
        raw as Array<Record<string, unknown>>,
      ),
  };
}

interface PortfolioAnswer {
  repositories: { active: number; total: number };
  activity: { series: unknown[] };
}

function portfolioScenario(database: Queryable, subjects: Subjects): ReadScenario {
  const year = lastYear(subjects.asOf);
  return {
    name: 'organisation portfolio',
    targeted: true,
    path: (index) => `/v1/organizations/${sample(subjects.organisations, index).owner}?${year.query}`,
    raw: (index) => rawPortfolio(database, sample(subjects.organisations, index), subjects.asOf, year),
    compare(endpoint, raw) {
      const answer = endpoint as PortfolioAnswer;
      const { summary, activity } = raw as RawPortfolio;
      if (
        answer.repositories.total !== summary.totals.total ||
        answer.repositories.active !== summary.totals.active
      ) {
        return `repositories ${JSON.stringify(answer.repositories)}, raw ${JSON.stringify(summary.totals)}`;
      }
      const [a, b] = [JSON.stringify(answer.activity.series), JSON.stringify(activity)];
      return a === b ? undefined : `activity ${a}\nraw      ${b}`;
    },
  };
}

function trendsScenario(database: Queryable, subjects: Subjects): ReadScenario {
  return {
    name: 'trends, 30 days',
    targeted: true,
    path: () => `/v1/trends?window=30d&limit=${trendLimit}`,
    raw: () => rawTrends(database, subjects.asOf, trendLimit),
    // Every commit of the last 30 days across all repositories: seconds a query, so a tenth of the rounds.
    rawEvery: 10,
    compare(endpoint, raw) {
      // Most active: the snapshots' commits_30d as of the dataset's "now" against the commits themselves.
      const names = (list: Array<{ owner: string; name: string; commits: number }>) =>
        JSON.stringify(list.map(({ owner, name, commits }) => ({ owner, name, commits })));
      const [a, b] = [names((endpoint as RawTrends).mostActive), names((raw as RawTrends).mostActive)];
      return a === b ? undefined : `most active ${a}\nraw         ${b}`;
    },
  };
}

function listScenario(database: Queryable, subjects: Subjects): ReadScenario {
  const language = (index: number) => sample(subjects.repositories, index).language ?? 'TypeScript';
  return {
    name: 'list, one language by stars',
    targeted: false,
    path: (index) => `/v1/repositories?language=${encodeURIComponent(language(index))}&limit=${listPageSize}`,
    raw: (index) => rawRepositoryPage(database, language(index), subjects.asOf, listPageSize),
  };
}

/** Every read the benchmark measures, in the order it prints them. */
export function readScenarios(database: Queryable, subjects: Subjects): ReadScenario[] {
  return [
    floorScenario(database),
    detailScenario(database, subjects),
    activityScenario(database, subjects),
    portfolioScenario(database, subjects),
    compareScenario(database, subjects),
    compareSeriesScenario(database, subjects),
    metricSeriesScenario(database, subjects),
    trendsScenario(database, subjects),
    listScenario(database, subjects),
  ];
}

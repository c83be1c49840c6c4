import { computeHealth, type HealthScore } from './health-score.js';
import type { MetricDefinition, MetricValue } from './metric-definition.js';
import { dayMs, type RepositoryFacts } from './repository-facts.js';

export interface ComputedMetric extends MetricValue {
  version: number;
}

export interface MetricsAt {
  now: number;
  metrics: Record<string, ComputedMetric>;
  health: HealthScore;
}

/** Every metric at one time, and the health score made of them. */
export function computeMetricsAt(
  definitions: readonly MetricDefinition[],
  facts: RepositoryFacts,
  now: number,
): MetricsAt {
  const metrics: Record<string, ComputedMetric> = {};
  for (const definition of definitions) {
    const result = definition.compute(facts, now);
    metrics[definition.name] = { ...result, version: definition.version };
  }
  return { now, metrics, health: computeHealth(metrics, facts, now) };
}

/** How far back a repository's daily series goes: a year, the longest window docs/METRICS.md uses. */
export const seriesDays = 365;

/**
 * The UTC days whose points must be (re)computed: from the earliest day whose facts changed (a fact moves
 * the windows of the year after it), or the whole series for a repository never computed, up to today.
 * A past day's point is the metric at the end of that day; today's is the metric now.
 */
export function daysToCompute(options: {
  now: number;
  dirtySince: number | null;
  computedBefore: boolean;
  firstFactAt: number | null;
}): number[] {
  const today = Math.floor(options.now / dayMs) * dayMs;
  const oldest = today - (seriesDays - 1) * dayMs;
  let from = today;
  if (!options.computedBefore) from = Math.max(oldest, startOfDay(options.firstFactAt ?? options.now));
  else if (options.dirtySince !== null) from = Math.max(oldest, startOfDay(options.dirtySince));
  const days: number[] = [];
  for (let day = from; day <= today; day += dayMs) days.push(day);
  return days;
}

function startOfDay(time: number): number {
  return Math.floor(time / dayMs) * dayMs;
}

/** The earliest time of any fact, where the series starts for a repository never computed. */
export function firstFactAt(facts: RepositoryFacts): number | null {
  const candidates = [
    facts.commits[0]?.authoredAt,
    facts.pullRequests.find((pullRequest) => pullRequest.createdAt !== null)?.createdAt,
    facts.issues.find((issue) => issue.createdAt !== null)?.createdAt,
    facts.releases[0]?.publishedAt,
    facts.countsDaily[0]?.day,
    facts.repository.createdAt,
  ].filter((time): time is number => typeof time === 'number');
  return candidates.length === 0 ? null : Math.min(...candidates);
}

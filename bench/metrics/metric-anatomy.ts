// Where a first computation's time goes, outside the handler: `loadRepositoryFacts` on its own (its queries
// apart from building the facts), then every day of the series computed as the handler computes it, with
// each definition timed. Timing every call costs ~0.1 µs, nothing beside a metric of a large repository.
import { performance } from 'node:perf_hooks';
import type { Queryable, QueryResult } from '@repopulse/core';
import { allMetrics } from '../../integration-engine/src/metrics/all-metrics.js';
import {
  computeMetricsAt,
  daysToCompute,
  firstFactAt,
} from '../../integration-engine/src/metrics/compute-metrics.js';
import { loadRepositoryFacts } from '../../integration-engine/src/metrics/load-repository-facts.js';
import type { MetricDefinition } from '../../integration-engine/src/metrics/metric-definition.js';
import { dayMs } from './metrics-state.js';

export interface MetricAnatomy {
  loadMs: number;
  loadQueriesMs: number;
  rows: number;
  computeMs: number;
  /** Milliseconds per definition over the whole series, most first. */
  byMetric: Array<{ name: string; ms: number }>;
  /** The health score and the bookkeeping around the definitions: compute minus the definitions. */
  healthAndRestMs: number;
  days: number;
}

export async function measureMetricAnatomy(
  database: Queryable,
  repositoryId: string,
  now: number,
): Promise<MetricAnatomy> {
  let loadQueriesMs = 0;
  let rows = 0;
  const timedDatabase: Queryable = {
    async query<Row>(text: string, values?: readonly unknown[]): Promise<QueryResult<Row>> {
      const started = performance.now();
      const result = await database.query<Row>(text, values);
      loadQueriesMs += performance.now() - started;
      rows += result.rows.length;
      return result;
    },
  };
  const loadStarted = performance.now();
  const facts = await loadRepositoryFacts(timedDatabase, repositoryId);
  const loadMs = performance.now() - loadStarted;
  if (!facts) throw new Error(`repository ${repositoryId} has no facts`);

  const spent = new Map<string, number>(allMetrics.map((definition) => [definition.name, 0]));
  const timedDefinitions: MetricDefinition[] = allMetrics.map((definition) => ({
    ...definition,
    compute(factsAt, at) {
      const started = performance.now();
      const value = definition.compute(factsAt, at);
      spent.set(definition.name, spent.get(definition.name)! + performance.now() - started);
      return value;
    },
  }));
  const days = daysToCompute({
    now,
    dirtySince: null,
    computedBefore: false,
    firstFactAt: firstFactAt(facts),
  });
  const computeStarted = performance.now();
  computeMetricsAt(timedDefinitions, facts, now);
  for (const day of days) if (day + dayMs <= now) computeMetricsAt(timedDefinitions, facts, day + dayMs);
  const computeMs = performance.now() - computeStarted;
  const byMetric = [...spent].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
  return {
    loadMs,
    loadQueriesMs,
    rows,
    computeMs,
    byMetric,
    healthAndRestMs: computeMs - byMetric.reduce((sum, metric) => sum + metric.ms, 0),
    days: days.length,
  };
}

// Part (a) of the metrics benchmark: one large repository, for `rounds` rounds in turn — the SQL baseline
// and the engine's first computation (the snapshot and a year of points), then the baseline and the
// engine's incremental computation (dirty since yesterday: the points of yesterday and today).
import { performance } from 'node:perf_hooks';
import type { Database } from '@repopulse/core';
import { compareWithEngine, type Comparison } from './compare-with-baseline.js';
import { describeTiming, megabytes, seconds } from './figures-report.js';
import { dayMs, forgetMetrics, markDirtySince, utcDay } from './metrics-state.js';
import type { RssSampler } from './rss-sampler.js';
import { baselineSeries, baselineSnapshot } from './sql-baseline.js';
import type { ComputeMetrics, ComputeTiming } from './timed-metrics-compute.js';

export interface OneRepositoryOptions {
  database: Database;
  repositoryId: string;
  now: number;
  rounds: number;
  computeMetrics: ComputeMetrics;
  sampler: RssSampler;
}

export interface OneRepositoryResults {
  baselineFullMs: number[];
  baselineIncrementalMs: number[];
  engineFull: ComputeTiming[];
  engineIncremental: ComputeTiming[];
  /** The process's RSS before the first computation, and its peak during each first computation. */
  rssBefore: number;
  peakRss: number[];
  comparison: Comparison;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

export async function runOneRepositoryRounds(options: OneRepositoryOptions): Promise<OneRepositoryResults> {
  const { database, repositoryId, now } = options;
  const ids = [repositoryId];
  const today = utcDay(now);
  const yesterday = utcDay(now - dayMs);
  const yearStart = utcDay(now - 364 * dayMs);
  const results: OneRepositoryResults = {
    baselineFullMs: [],
    baselineIncrementalMs: [],
    engineFull: [],
    engineIncremental: [],
    rssBefore: process.memoryUsage.rss(),
    peakRss: [],
    comparison: { compared: 0, mismatches: [] },
  };
  for (let round = 0; round < options.rounds; round++) {
    let snapshots = new Map();
    let series: Awaited<ReturnType<typeof baselineSeries>> = [];
    results.baselineFullMs.push(
      await timed(async () => {
        snapshots = await baselineSnapshot(database, ids, now);
        series = await baselineSeries(database, ids, yearStart, today);
      }),
    );
    await forgetMetrics(database, ids);
    await options.sampler.takePeak();
    const full = await options.computeMetrics(database, repositoryId);
    results.engineFull.push(full);
    results.peakRss.push(await options.sampler.takePeak());
    if (round === 0) results.comparison = await compareWithEngine(database, series, snapshots, today);

    results.baselineIncrementalMs.push(
      await timed(async () => {
        await baselineSnapshot(database, ids, now);
        await baselineSeries(database, ids, yesterday, today);
      }),
    );
    await markDirtySince(database, ids, yesterday);
    const incremental = await options.computeMetrics(database, repositoryId);
    results.engineIncremental.push(incremental);
    console.log(
      `round ${round + 1}: first computation: baseline ${seconds(results.baselineFullMs.at(-1)!)}, ` +
        `engine ${seconds(full.totalMs)} (${describeTiming(full)}; peak RSS ${megabytes(results.peakRss.at(-1)!)})`,
    );
    console.log(
      `         incremental:       baseline ${seconds(results.baselineIncrementalMs.at(-1)!)}, ` +
        `engine ${seconds(incremental.totalMs)} (${describeTiming(incremental)})`,
    );
  }
  return results;
}

// Part (b) of the metrics benchmark: every repository in one pass, `concurrency` transactions in flight as
// the engine takes `metrics.compute` messages (at most 4 at a time), for the SQL baseline and the engine's
// handler in turn: first computations (now and a year of days), then incremental ones (dirty since
// yesterday). A sample of the repositories is then checked against the baseline.
import { performance } from 'node:perf_hooks';
import type { Database } from '@repopulse/core';
import { compareWithEngine, type Comparison } from './compare-with-baseline.js';
import { dayMs, markDirtySince, utcDay } from './metrics-state.js';
import type { RssSampler } from './rss-sampler.js';
import { baselineSeries, baselineSnapshot } from './sql-baseline.js';
import type { ComputeMetrics, ComputeTiming } from './timed-metrics-compute.js';

const checkedRepositories = 100;

export interface PassResult<T> {
  ms: number;
  results: T[];
}

export interface ManyRepositoriesOptions {
  database: Database;
  repositoryIds: readonly string[];
  now: number;
  concurrency: number;
  computeMetrics: ComputeMetrics;
  sampler: RssSampler;
}

export interface ManyRepositoriesResults {
  repositories: number;
  baselineFull: PassResult<void>;
  engineFull: PassResult<ComputeTiming>;
  baselineIncremental: PassResult<void>;
  engineIncremental: PassResult<ComputeTiming>;
  /** The process's peak RSS during the engine's first pass. */
  fullPeakRss: number;
  /** `metric_points` after the first pass: rows, and bytes with its index. */
  storedPoints: number;
  storedBytes: number;
  comparison: Comparison;
}

/** Runs `work` for every id, `concurrency` at a time, printing progress every tenth of the ids. */
export async function runPass<T>(
  name: string,
  ids: readonly string[],
  concurrency: number,
  work: (id: string) => Promise<T>,
): Promise<PassResult<T>> {
  const results: T[] = [];
  const started = performance.now();
  const reportEvery = Math.max(1, Math.ceil(ids.length / 10));
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      results.push(await work(id));
      if (results.length % reportEvery === 0 && results.length < ids.length) {
        const elapsed = (performance.now() - started) / 1000;
        console.log(
          `  ${name}: ${results.length}/${ids.length} in ${elapsed.toFixed(0)} s ` +
            `(${(results.length / elapsed).toFixed(1)} repositories/s)`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ms: performance.now() - started, results };
}

/** The baseline's two queries for one repository: now, and each day from `fromDay` to `today`. */
function baselineWork(database: Database, now: number, fromDay: string, today: string) {
  return async (id: string): Promise<void> => {
    await baselineSnapshot(database, [id], now);
    await baselineSeries(database, [id], fromDay, today);
  };
}

export async function runManyRepositoriesPasses(
  options: ManyRepositoriesOptions,
): Promise<ManyRepositoriesResults> {
  const { database, repositoryIds: ids, now, concurrency, computeMetrics, sampler } = options;
  const today = utcDay(now);
  const yesterday = utcDay(now - dayMs);
  const yearStart = utcDay(now - 364 * dayMs);
  const engine = (id: string) => computeMetrics(database, id);

  const baselineFull = await runPass(
    'baseline, now + a year',
    ids,
    concurrency,
    baselineWork(database, now, yearStart, today),
  );
  await sampler.takePeak();
  const engineFull = await runPass('engine, first computation', ids, concurrency, engine);
  const fullPeakRss = await sampler.takePeak();
  const stored = await database.query<{ points: string; bytes: string }>(
    `SELECT count(*) AS points, pg_total_relation_size('metric_points') AS bytes FROM metric_points`,
  );
  const baselineIncremental = await runPass(
    'baseline, now + yesterday and today',
    ids,
    concurrency,
    baselineWork(database, now, yesterday, today),
  );
  await markDirtySince(database, ids, yesterday);
  const engineIncremental = await runPass('engine, incremental', ids, concurrency, engine);

  const checked = ids.filter((_, index) => index % Math.ceil(ids.length / checkedRepositories) === 0);
  const comparison = await compareWithEngine(
    database,
    await baselineSeries(database, checked, yearStart, today),
    await baselineSnapshot(database, checked, now),
    today,
  );
  return {
    repositories: ids.length,
    baselineFull,
    engineFull,
    baselineIncremental,
    engineIncremental,
    fullPeakRss,
    storedPoints: Number(stored.rows[0]!.points),
    storedBytes: Number(stored.rows[0]!.bytes),
    comparison,
  };
}

// How the metrics benchmark prints its figures: medians, ratios engine / baseline, and where the engine's
// time went.
import { median } from '../support/load-rounds.js';
import type { Comparison } from './compare-with-baseline.js';
import type { ManyRepositoriesResults, PassResult } from './many-repositories-passes.js';
import type { MetricAnatomy } from './metric-anatomy.js';
import type { OneRepositoryResults } from './one-repository-rounds.js';
import type { ComputeTiming } from './timed-metrics-compute.js';

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
export const count = (value: number) => value.toLocaleString('en-US');

export function describeTiming(timing: ComputeTiming): string {
  return (
    `load ${seconds(timing.loadMs)} (queries ${seconds(timing.loadQueriesMs)}), compute ${seconds(timing.computeMs)}, ` +
    `store ${seconds(timing.storeMs)}, commit ${seconds(timing.commitMs)}; ${timing.days} days, ${count(timing.points)} points`
  );
}

/** Prints whether the engine and the baseline agree; a disagreement fails the run. */
export function printComparison(comparison: Comparison): void {
  if (comparison.mismatches.length === 0) {
    console.log(
      `  check: the engine and the baseline agree on all ${count(comparison.compared)} values compared`,
    );
    return;
  }
  console.log(
    `  check: ${comparison.mismatches.length} of ${count(comparison.compared)} values differ, e.g.:`,
  );
  for (const mismatch of comparison.mismatches.slice(0, 10)) console.log(`    ${mismatch}`);
  process.exitCode = 1;
}

/** The median of each phase over the rounds. */
function medianTiming(timings: readonly ComputeTiming[]): ComputeTiming {
  const of = (pick: (timing: ComputeTiming) => number) => median(timings.map(pick));
  return {
    totalMs: of((timing) => timing.totalMs),
    loadMs: of((timing) => timing.loadMs),
    loadQueriesMs: of((timing) => timing.loadQueriesMs),
    computeMs: of((timing) => timing.computeMs),
    storeMs: of((timing) => timing.storeMs),
    commitMs: of((timing) => timing.commitMs),
    days: of((timing) => timing.days),
    points: of((timing) => timing.points),
  };
}

function printRatio(name: string, baselineMs: number, engine: ComputeTiming): void {
  console.log(
    `${name.padEnd(44)} baseline ${seconds(baselineMs).padStart(8)}   engine ${seconds(engine.totalMs).padStart(8)}   ` +
      `ratio engine / baseline ${(engine.totalMs / baselineMs).toFixed(1)}`,
  );
  console.log(`${''.padEnd(44)} engine: ${describeTiming(engine)}`);
}

export function printOneRepositoryFigures(results: OneRepositoryResults, anatomy: MetricAnatomy): void {
  console.log(`\none repository, medians of ${results.engineFull.length} rounds:`);
  printRatio(
    '  first computation (now + a year of days)',
    median(results.baselineFullMs),
    medianTiming(results.engineFull),
  );
  printRatio(
    '  incremental (dirty since yesterday)',
    median(results.baselineIncrementalMs),
    medianTiming(results.engineIncremental),
  );
  console.log(
    `  peak RSS during a first computation: ${megabytes(Math.max(...results.peakRss))} ` +
      `(${megabytes(results.rssBefore)} before the first)`,
  );
  printComparison(results.comparison);
  console.log(
    `  anatomy, outside the handler: loadRepositoryFacts ${seconds(anatomy.loadMs)} (queries ${seconds(anatomy.loadQueriesMs)}, ` +
      `${count(anatomy.rows)} rows); every metric at ${anatomy.days} times ${seconds(anatomy.computeMs)}, of which:`,
  );
  const shown = anatomy.byMetric.slice(0, 8).map((metric) => `${metric.name} ${seconds(metric.ms)}`);
  console.log(`    ${shown.join(', ')}; health score and the rest ${seconds(anatomy.healthAndRestMs)}`);
}

/** Two lines per pass: the rates and their ratio, then the engine's phases summed over repositories. */
function printPass(
  name: string,
  repositories: number,
  baseline: PassResult<void>,
  engine: PassResult<ComputeTiming>,
): void {
  const rate = (ms: number) => `${(repositories / (ms / 1000)).toFixed(1)} repositories/s`;
  console.log(
    `${name.padEnd(24)} baseline ${seconds(baseline.ms)} (${rate(baseline.ms)})   engine ${seconds(engine.ms)} ` +
      `(${rate(engine.ms)})   ratio engine / baseline ${(engine.ms / baseline.ms).toFixed(1)}`,
  );
  const sum = (pick: (timing: ComputeTiming) => number) =>
    engine.results.reduce((total, timing) => total + pick(timing), 0);
  const phases = {
    load: sum((timing) => timing.loadMs),
    compute: sum((timing) => timing.computeMs),
    store: sum((timing) => timing.storeMs),
    commit: sum((timing) => timing.commitMs),
  };
  const busy = phases.load + phases.compute + phases.store + phases.commit;
  const share = (ms: number) => `${((100 * ms) / busy).toFixed(0)} %`;
  // Several repositories are in flight at once, so the phases overlap: shares, not a sum of the wall time.
  console.log(
    `${''.padEnd(24)} engine, summed over repositories: load ${share(phases.load)}, compute ${share(phases.compute)} ` +
      `(${seconds(phases.compute)}), store ${share(phases.store)}, commit ${share(phases.commit)}; ` +
      `${count(sum((timing) => timing.days))} days, ${count(sum((timing) => timing.points))} points written`,
  );
}

export function printManyRepositoriesFigures(results: ManyRepositoriesResults): void {
  console.log(`\n${count(results.repositories)} repositories in one pass:`);
  printPass('  first computation', results.repositories, results.baselineFull, results.engineFull);
  printPass('  incremental', results.repositories, results.baselineIncremental, results.engineIncremental);
  console.log(
    `  peak RSS during the engine's first pass: ${megabytes(results.fullPeakRss)}; metric_points after it: ` +
      `${count(results.storedPoints)} rows, ${megabytes(results.storedBytes)} with its index`,
  );
  printComparison(results.comparison);
}

import { performance } from 'node:perf_hooks';
import { percentile } from '../data-latency/latency-summary.js';
import type { ReadScenario } from './read-scenario.js';
import { timedGet } from './timed-get.js';

export interface ScenarioSamples {
  scenario: ReadScenario;
  http: number[];
  raw: number[];
  /** Answers that were not 200. */
  failed: number;
}

/** Asks sample 0 of each scenario: those whose route the gateway does not have (404) are left out. */
export async function probeScenarios(
  base: string,
  scenarios: readonly ReadScenario[],
): Promise<{ present: ReadScenario[]; missing: ReadScenario[] }> {
  const present: ReadScenario[] = [];
  const missing: ReadScenario[] = [];
  for (const scenario of scenarios) {
    const answer = await timedGet(`${base}${scenario.path(0)}`);
    if (answer.status === 404) {
      missing.push(scenario);
      continue;
    }
    if (answer.status !== 200) {
      throw new Error(`${scenario.name}: ${scenario.path(0)} answered ${answer.status}: ${answer.body}`);
    }
    const difference = scenario.compare?.(JSON.parse(answer.body), await scenario.raw(0));
    if (difference !== undefined) {
      throw new Error(`${scenario.name}: the endpoint and the raw query disagree on sample 0: ${difference}`);
    }
    present.push(scenario);
  }
  return { present, missing };
}

/**
 * Warm-up, then `samples` rounds; each round asks every scenario once through HTTP and once by its raw
 * query, one request at a time, alternating which side goes first, so a busy moment on the shared machine
 * falls on every endpoint and both sides alike.
 */
export async function runScenarios(
  base: string,
  scenarios: readonly ReadScenario[],
  options: { samples: number; warmUp: number },
): Promise<ScenarioSamples[]> {
  const results = scenarios.map((scenario) => ({
    scenario,
    http: [] as number[],
    raw: [] as number[],
    failed: 0,
  }));
  const rounds = options.warmUp + options.samples;
  for (let round = 0; round < rounds; round++) {
    const measured = round >= options.warmUp;
    // The warm-up asks about subjects of its own (drawn after the measured ones), not the measured ones.
    const index = measured ? round - options.warmUp : options.samples + round;
    for (const result of results) {
      const sides = [
        async () => {
          const answer = await timedGet(`${base}${result.scenario.path(index)}`);
          if (answer.status !== 200) result.failed++;
          if (measured) result.http.push(answer.ms);
        },
        async () => {
          if (index % (result.scenario.rawEvery ?? 1) !== 0) return;
          const started = performance.now();
          await result.scenario.raw(index);
          if (measured) result.raw.push(performance.now() - started);
        },
      ];
      if (round % 2 === 1) sides.reverse();
      for (const side of sides) await side();
    }
    if (measured && (index + 1) % 50 === 0) console.log(`  ${index + 1} / ${options.samples} samples`);
  }
  return results;
}

const targetMs = 50;

export function printTable(results: readonly ScenarioSamples[]): void {
  const ms = (value: number) => `${value.toFixed(1).padStart(7)}`;
  console.log(
    `\n${'endpoint'.padEnd(34)} ${'HTTP p50'.padStart(8)} ${'p99'.padStart(7)}   ${'raw p50'.padStart(8)} ${'p99'.padStart(7)}   ` +
      `${'ratio p50'.padStart(9)} ${'p99'.padStart(6)}   target (p99 < ${targetMs} ms)`,
  );
  for (const { scenario, http, raw, failed } of results) {
    const httpP50 = percentile(http, 0.5);
    const httpP99 = percentile(http, 0.99);
    const rawP50 = percentile(raw, 0.5);
    const rawP99 = percentile(raw, 0.99);
    const verdict = scenario.targeted ? (httpP99 < targetMs ? 'PASS' : 'MISS') : '(no target)';
    console.log(
      `${scenario.name.padEnd(34)} ${ms(httpP50)}  ${ms(httpP99)}   ${ms(rawP50)}  ${ms(rawP99)}   ` +
        `${(httpP50 / rawP50).toFixed(2).padStart(9)} ${(httpP99 / rawP99).toFixed(2).padStart(6)}   ${verdict}` +
        (raw.length < http.length ? `   (raw: ${raw.length} samples)` : '') +
        (failed > 0 ? `   ${failed} answers not 200` : ''),
    );
  }
  console.log('(milliseconds; ratio = endpoint through HTTP / raw SQL over the facts)');
}

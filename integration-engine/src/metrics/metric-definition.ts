import type { RepositoryFacts } from './repository-facts.js';

/** A metric's value at one time: a number, or null with the reason it cannot be known (never a made-up 0). */
export interface MetricValue {
  value: number | null;
  reason?: MetricNullReason;
}

export type MetricNullReason =
  | 'no_issue_tracker'
  | 'younger_than_window'
  | 'no_github_data'
  | 'no_commits'
  | 'no_releases'
  | 'empty_window'
  | 'no_responses'
  | 'unknown_creation_date'
  /** The daily counts (stars, forks, watchers) were first observed after the time asked for. */
  | 'no_count_history';

/**
 * One metric of docs/METRICS.md: its name (the key in `metrics`), the definition's text as docs/METRICS.md
 * states it, a version bumped whenever the computation changes, the facts it reads, and the computation
 * itself.
 * `compute` is pure: the same facts and `now` give the same value.
 */
export interface MetricDefinition {
  name: string;
  version: number;
  /** docs/METRICS.md's words, verbatim. */
  definition: string;
  source: 'git' | 'GitHub' | 'git + GitHub' | 'GitHub / git';
  compute(facts: RepositoryFacts, now: number): MetricValue;
}

export const known = (value: number): MetricValue => ({ value });
export const unknown = (reason: MetricNullReason): MetricValue => ({ value: null, reason });

/** The median of numbers (mean of the two middle ones for an even count); undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

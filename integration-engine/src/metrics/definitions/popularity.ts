import type { MetricDefinition } from '../metric-definition.js';
import { forks, stars, watchers } from './popularity-counts.js';
import { forksGained30d, starsGained30d } from './popularity-gains.js';

/** docs/METRICS.md's "Popularity" table, in its order. */
export const popularityMetrics: readonly MetricDefinition[] = [
  stars,
  forks,
  watchers,
  starsGained30d,
  forksGained30d,
];

import { activityAndVelocityMetrics } from './definitions/activity-and-velocity.js';
import { communityMetrics } from './definitions/community.js';
import { popularityMetrics } from './definitions/popularity.js';
import type { MetricDefinition } from './metric-definition.js';

/** Every metric of docs/METRICS.md, in its order. Adding a metric is adding its definition and test here. */
export const allMetrics: readonly MetricDefinition[] = [
  ...activityAndVelocityMetrics,
  ...communityMetrics,
  ...popularityMetrics,
];

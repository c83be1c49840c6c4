import type { MetricDefinition } from '../metric-definition.js';
import { activeContributors90d } from './community-active-contributors.js';
import { codeReviewRatio90d } from './community-code-review.js';
import { busFactor365d, elephantFactor365d } from './community-concentration.js';
import {
  contributorRetention90d,
  contributors365d,
  contributors90d,
  newContributors90d,
} from './community-contributors.js';
import { scorecardMaintained } from './community-scorecard-maintained.js';

/** docs/METRICS.md's "Community" table, in its order. */
export const communityMetrics: readonly MetricDefinition[] = [
  contributors90d,
  contributors365d,
  newContributors90d,
  contributorRetention90d,
  busFactor365d,
  elephantFactor365d,
  codeReviewRatio90d,
  activeContributors90d,
  scorecardMaintained,
];

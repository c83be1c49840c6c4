import type { MetricDefinition } from '../metric-definition.js';
import {
  commits30d,
  commits365d,
  commits90d,
  daysSinceLastCommit,
  linesAdded90d,
  linesRemoved90d,
} from './activity-commits.js';
import {
  issueClosureRatio90d,
  issuesClosed90d,
  issuesOpened90d,
  openIssueAgeMedianDays,
} from './activity-issues.js';
import { daysSinceLastRelease, releases365d } from './activity-releases.js';
import { firstResponseMedianHours90d, unansweredShare90d } from './velocity-first-response.js';
import {
  changeRequestAcceptanceRatio90d,
  changeRequestClosureRatio90d,
  prMergeTimeMedianHours90d,
  pullRequestsMerged90d,
  pullRequestsOpened90d,
} from './velocity-pull-requests.js';

/** docs/METRICS.md "Activity and velocity", in its order. */
export const activityAndVelocityMetrics: MetricDefinition[] = [
  commits30d,
  commits90d,
  commits365d,
  linesAdded90d,
  linesRemoved90d,
  daysSinceLastCommit,
  pullRequestsOpened90d,
  pullRequestsMerged90d,
  prMergeTimeMedianHours90d,
  changeRequestClosureRatio90d,
  issuesOpened90d,
  issuesClosed90d,
  issueClosureRatio90d,
  firstResponseMedianHours90d,
  unansweredShare90d,
  changeRequestAcceptanceRatio90d,
  openIssueAgeMedianDays,
  releases365d,
  daysSinceLastRelease,
];

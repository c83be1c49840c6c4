/**
 * The metric names of docs/METRICS.md, in its order: the keys of `metrics` in every answer. The gateway keeps
 * its own copy instead of importing the engine's definitions (the read API must not depend on the code
 * that computes them); a metric added to docs/METRICS.md is added here too.
 */
export const metricNames = [
  'commits_30d',
  'commits_90d',
  'commits_365d',
  'lines_added_90d',
  'lines_removed_90d',
  'days_since_last_commit',
  'pull_requests_opened_90d',
  'pull_requests_merged_90d',
  'pr_merge_time_median_hours_90d',
  'change_request_closure_ratio_90d',
  'issues_opened_90d',
  'issues_closed_90d',
  'issue_closure_ratio_90d',
  'first_response_median_hours_90d',
  'unanswered_share_90d',
  'change_request_acceptance_ratio_90d',
  'open_issue_age_median_days',
  'releases_365d',
  'days_since_last_release',
  'contributors_90d',
  'contributors_365d',
  'new_contributors_90d',
  'contributor_retention_90d',
  'bus_factor_365d',
  'elephant_factor_365d',
  'code_review_ratio_90d',
  'active_contributors_90d',
  'scorecard_maintained',
  'stars',
  'forks',
  'watchers',
  'stars_gained_30d',
  'forks_gained_30d',
] as const;

export type MetricName = (typeof metricNames)[number];

/** The health score is stored as a daily point beside the metrics, so series may ask for it by this name. */
export const healthScoreName = 'health_score';

/** Every name a series (`metric_points.metric`) may be asked for. */
export const seriesNames: readonly string[] = [...metricNames, healthScoreName];

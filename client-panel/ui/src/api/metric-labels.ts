import { formatHours, formatNumber, formatShare } from '../ui/format.js';

type MetricKind = 'count' | 'hours' | 'days' | 'share' | 'score';

/** What each metric of docs/METRICS.md is called on screen, and how its value reads. */
const metrics: Record<string, { label: string; kind: MetricKind }> = {
  commits_30d: { label: 'Commits (30 days)', kind: 'count' },
  commits_90d: { label: 'Commits (90 days)', kind: 'count' },
  commits_365d: { label: 'Commits (365 days)', kind: 'count' },
  lines_added_90d: { label: 'Lines added (90 days)', kind: 'count' },
  lines_removed_90d: { label: 'Lines removed (90 days)', kind: 'count' },
  days_since_last_commit: { label: 'Days since the last commit', kind: 'days' },
  pull_requests_opened_90d: { label: 'Pull requests opened (90 days)', kind: 'count' },
  pull_requests_merged_90d: { label: 'Pull requests merged (90 days)', kind: 'count' },
  pr_merge_time_median_hours_90d: { label: 'Time to merge, median (90 days)', kind: 'hours' },
  change_request_closure_ratio_90d: { label: 'Pull request closure ratio (90 days)', kind: 'share' },
  issues_opened_90d: { label: 'Issues opened (90 days)', kind: 'count' },
  issues_closed_90d: { label: 'Issues closed (90 days)', kind: 'count' },
  issue_closure_ratio_90d: { label: 'Issue closure ratio (90 days)', kind: 'share' },
  first_response_median_hours_90d: { label: 'Time to first response, median (90 days)', kind: 'hours' },
  unanswered_share_90d: { label: 'Unanswered issues and pull requests (90 days)', kind: 'share' },
  change_request_acceptance_ratio_90d: { label: 'Pull request acceptance ratio (90 days)', kind: 'share' },
  open_issue_age_median_days: { label: 'Open issue age, median', kind: 'days' },
  releases_365d: { label: 'Releases (365 days)', kind: 'count' },
  days_since_last_release: { label: 'Days since the last release', kind: 'days' },
  contributors_90d: { label: 'Contributors (90 days)', kind: 'count' },
  contributors_365d: { label: 'Contributors (365 days)', kind: 'count' },
  new_contributors_90d: { label: 'New contributors (90 days)', kind: 'count' },
  contributor_retention_90d: { label: 'Contributor retention (90 days)', kind: 'share' },
  bus_factor_365d: { label: 'Bus factor (365 days)', kind: 'count' },
  elephant_factor_365d: { label: 'Elephant factor (365 days)', kind: 'count' },
  code_review_ratio_90d: { label: 'Code review ratio (90 days)', kind: 'share' },
  active_contributors_90d: { label: 'Active contributors (90 days)', kind: 'count' },
  scorecard_maintained: { label: 'OpenSSF Scorecard "Maintained" (0–10)', kind: 'score' },
  stars: { label: 'Stars', kind: 'count' },
  forks: { label: 'Forks', kind: 'count' },
  watchers: { label: 'Watchers', kind: 'count' },
  stars_gained_30d: { label: 'Stars gained (30 days)', kind: 'count' },
  forks_gained_30d: { label: 'Forks gained (30 days)', kind: 'count' },
  health_score: { label: 'Health score (0–100)', kind: 'score' },
};

export const metricNames = Object.keys(metrics).filter((name) => name !== 'health_score');

export function metricLabel(name: string): string {
  return metrics[name]?.label ?? name;
}

export function formatMetric(name: string, value: number | null | undefined): string {
  const kind = metrics[name]?.kind ?? 'count';
  if (kind === 'hours') return formatHours(value);
  if (kind === 'share') return formatShare(value);
  if (kind === 'days' && value !== null && value !== undefined)
    return `${formatNumber(value)} ${value === 1 ? 'day' : 'days'}`;
  return formatNumber(value);
}

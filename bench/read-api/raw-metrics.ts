import type { Queryable } from '@repopulse/core';

export type RawMetrics = Record<string, number | null> & { repositoryId: string };

// The metrics a detail or compare answer shows, as far as plain SQL over the raw facts computes them
// (docs/METRICS.md's windows `[now − N days, now)`, counts of non-merge commits, bots included): counts,
// lines, contributors by e-mail, medians, days since the last commit and release, star and fork gains. The
// remaining metrics (bus and elephant factors, retention, Scorecard, the health score) need the engine's
// code; what is here is already most of the facts' reading. One row per repository, in the order given.
const rawMetricsSql = `
  SELECT listed.id::text AS "repositoryId",
         commit_counts.commits_30d, commit_counts.commits_90d, commit_counts.commits_365d,
         commit_counts.lines_added_90d, commit_counts.lines_removed_90d,
         commit_counts.contributors_90d, commit_counts.contributors_365d,
         floor(extract(epoch FROM $2::timestamptz - last_commit.at) / 86400)::integer AS days_since_last_commit,
         pull_request_counts.pull_requests_opened_90d, pull_request_counts.pull_requests_merged_90d,
         pull_request_counts.pr_merge_time_median_hours_90d,
         CASE WHEN repositories.has_issues IS NOT FALSE THEN issue_counts.issues_opened_90d END AS issues_opened_90d,
         CASE WHEN repositories.has_issues IS NOT FALSE THEN issue_counts.issues_closed_90d END AS issues_closed_90d,
         CASE WHEN repositories.has_issues IS NOT FALSE THEN issue_counts.open_issue_age_median_days END
           AS open_issue_age_median_days,
         release_counts.releases_365d,
         floor(extract(epoch FROM $2::timestamptz - release_counts.last_at) / 86400)::integer AS days_since_last_release,
         star_counts.stars, star_counts.stars_gained_30d, fork_counts.forks, fork_counts.forks_gained_30d
    FROM unnest($1::bigint[]) WITH ORDINALITY AS listed (id, position)
    JOIN repositories ON repositories.id = listed.id
   CROSS JOIN LATERAL (
     SELECT count(*) FILTER (WHERE c.authored_at >= $2::timestamptz - interval '30 days')::integer AS commits_30d,
            count(*) FILTER (WHERE c.authored_at >= $2::timestamptz - interval '90 days')::integer AS commits_90d,
            count(*)::integer AS commits_365d,
            coalesce(sum(c.additions) FILTER (WHERE c.authored_at >= $2::timestamptz - interval '90 days'), 0)::bigint
              AS lines_added_90d,
            coalesce(sum(c.deletions) FILTER (WHERE c.authored_at >= $2::timestamptz - interval '90 days'), 0)::bigint
              AS lines_removed_90d,
            count(DISTINCT lower(c.author_email))
              FILTER (WHERE c.authored_at >= $2::timestamptz - interval '90 days' AND NOT c.author_is_bot)::integer
              AS contributors_90d,
            count(DISTINCT lower(c.author_email)) FILTER (WHERE NOT c.author_is_bot)::integer AS contributors_365d
       FROM commits AS c
      WHERE c.repository_id = listed.id AND NOT c.is_merge
        AND c.authored_at >= $2::timestamptz - interval '365 days' AND c.authored_at < $2::timestamptz) AS commit_counts
   CROSS JOIN LATERAL (
     SELECT max(c.authored_at) AS at FROM commits AS c
      WHERE c.repository_id = listed.id AND NOT c.is_merge AND c.authored_at < $2::timestamptz) AS last_commit
   CROSS JOIN LATERAL (
     SELECT count(*) FILTER (WHERE p.created_at >= $2::timestamptz - interval '90 days'
                               AND p.created_at < $2::timestamptz)::integer AS pull_requests_opened_90d,
            count(*) FILTER (WHERE p.merged_at >= $2::timestamptz - interval '90 days'
                               AND p.merged_at < $2::timestamptz)::integer AS pull_requests_merged_90d,
            round(extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY p.merged_at - p.created_at)
                  FILTER (WHERE p.merged_at >= $2::timestamptz - interval '90 days' AND p.merged_at < $2::timestamptz))
                  / 3600)::integer AS pr_merge_time_median_hours_90d
       FROM pull_requests AS p
      WHERE p.repository_id = listed.id) AS pull_request_counts
   CROSS JOIN LATERAL (
     SELECT count(*) FILTER (WHERE i.created_at >= $2::timestamptz - interval '90 days'
                               AND i.created_at < $2::timestamptz)::integer AS issues_opened_90d,
            count(*) FILTER (WHERE i.closed_at >= $2::timestamptz - interval '90 days'
                               AND i.closed_at < $2::timestamptz)::integer AS issues_closed_90d,
            round(extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY $2::timestamptz - i.created_at)
                  FILTER (WHERE i.created_at < $2::timestamptz AND (i.closed_at IS NULL OR i.closed_at >= $2::timestamptz)))
                  / 86400)::integer AS open_issue_age_median_days
       FROM issues AS i
      WHERE i.repository_id = listed.id) AS issue_counts
   CROSS JOIN LATERAL (
     SELECT count(*) FILTER (WHERE r.published_at >= $2::timestamptz - interval '365 days')::integer AS releases_365d,
            max(r.published_at) AS last_at
       FROM releases AS r
      WHERE r.repository_id = listed.id AND r.deleted_at IS NULL AND r.published_at < $2::timestamptz) AS release_counts
   CROSS JOIN LATERAL (
     SELECT count(*) FILTER (WHERE s.unstarred_at IS NULL OR s.unstarred_at >= $2::timestamptz)::integer AS stars,
            (count(*) FILTER (WHERE s.starred_at >= $2::timestamptz - interval '30 days')
             - count(*) FILTER (WHERE s.unstarred_at >= $2::timestamptz - interval '30 days'
                                  AND s.unstarred_at < $2::timestamptz))::integer AS stars_gained_30d
       FROM stars AS s
      WHERE s.repository_id = listed.id AND s.starred_at < $2::timestamptz) AS star_counts
   CROSS JOIN LATERAL (
     SELECT count(*)::integer AS forks,
            count(*) FILTER (WHERE f.forked_at >= $2::timestamptz - interval '30 days')::integer AS forks_gained_30d
       FROM forks AS f
      WHERE f.repository_id = listed.id AND f.forked_at < $2::timestamptz) AS fork_counts
   ORDER BY listed.position`;

/** The raw metrics of each repository as of `asOf`, in the order of `repositoryIds`. */
export async function rawMetrics(
  database: Queryable,
  repositoryIds: readonly string[],
  asOf: Date,
): Promise<RawMetrics[]> {
  const { rows } = await database.query<RawMetrics>(rawMetricsSql, [repositoryIds, asOf]);
  return rows;
}

/** The counts both sides define alike: the endpoint's values must equal the raw ones. */
export const comparableMetrics = [
  'commits_30d',
  'commits_90d',
  'commits_365d',
  'lines_added_90d',
  'lines_removed_90d',
  'pull_requests_opened_90d',
  'pull_requests_merged_90d',
  'issues_opened_90d',
  'issues_closed_90d',
  'releases_365d',
] as const;

/** What differs between an endpoint's metric values and the raw ones, or undefined. */
export function metricDifferences(
  endpoint: Record<string, number | null>,
  raw: RawMetrics,
): string | undefined {
  // bigint sums arrive from pg as text.
  const plain = (value: number | string | null | undefined) =>
    value === null || value === undefined ? null : Number(value);
  const differences = comparableMetrics
    .filter((name) => plain(endpoint[name]) !== plain(raw[name]))
    .map((name) => `${name}: endpoint ${endpoint[name]}, raw ${raw[name]}`);
  return differences.length === 0 ? undefined : differences.join('; ');
}

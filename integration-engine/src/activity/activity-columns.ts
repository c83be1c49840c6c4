/** The counted columns of the activity rollups (`activity_daily`, `owner_activity_daily`). */
export const activityColumns = [
  'commits',
  'pull_requests_opened',
  'pull_requests_merged',
  'issues_opened',
  'issues_closed',
  'releases',
  'stars',
  'forks',
] as const;

export type ActivityColumn = (typeof activityColumns)[number];

/** `commits = o.commits + EXCLUDED.commits, …`: an upsert's `DO UPDATE` that adds the row's counts. */
export function activityIncrements(alias: string): string {
  return activityColumns.map((column) => `${column} = ${alias}.${column} + EXCLUDED.${column}`).join(', ');
}

/**
 * SQL for "the repository is active": a non-merge commit authored in the last 90 days, the window of
 * docs/METRICS.md's `commits_90d`. Its latest snapshot says so when the metrics were computed; a repository
 * not computed yet (or whose `commits_90d` is unknown) is asked of the activity rollup instead, over the
 * 90 UTC days ending with `today`. Expects `repositories` and a left-joined `metric_snapshots` in scope;
 * `today` is the SQL of a date parameter (e.g. `$3`).
 */
export function isActiveRepositorySql(today: string): string {
  return `coalesce(metric_snapshots.commits_90d > 0, EXISTS (
    SELECT 1 FROM activity_daily
     WHERE activity_daily.repository_id = repositories.id
       AND activity_daily.day > ${today}::date - 90 AND activity_daily.day <= ${today}::date
       AND activity_daily.commits > 0))`;
}

/** The UTC calendar day of an instant, as PostgreSQL reads a date: `YYYY-MM-DD`. */
export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

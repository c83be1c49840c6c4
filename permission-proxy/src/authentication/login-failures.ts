import type { Queryable } from '@repopulse/core';

/**
 * Failed logins per subject (`user:<lower username>`, `address:<ip>`) in the shared table, so every
 * replica slows the same guesser down. A subject's count restarts when its last failure is older than the
 * window.
 */

/** The highest count among `subjects` whose last failure lies within the window. */
export async function selectLoginFailures(
  queryable: Queryable,
  subjects: readonly string[],
  windowSeconds: number,
): Promise<number> {
  const { rows } = await queryable.query<{ failures: number }>(
    `SELECT coalesce(max(login_failures.failures), 0)::integer AS failures FROM login_failures
     WHERE login_failures.subject = any($1::text[])
       AND login_failures.last_failure_at > now() - make_interval(secs => $2)`,
    [subjects, windowSeconds],
  );
  return rows[0]?.failures ?? 0;
}

/** Counts one more failure for each subject; answers the highest count after it. */
export async function upsertLoginFailures(
  queryable: Queryable,
  subjects: readonly string[],
  windowSeconds: number,
): Promise<number> {
  const { rows } = await queryable.query<{ failures: number }>(
    `INSERT INTO login_failures AS existing (subject, failures, last_failure_at)
     SELECT subject, 1, now() FROM unnest($1::text[]) AS subject
     ON CONFLICT (subject) DO UPDATE SET
       failures = CASE WHEN existing.last_failure_at > now() - make_interval(secs => $2)
                       THEN existing.failures + 1 ELSE 1 END,
       last_failure_at = now()
     RETURNING existing.failures`,
    [subjects, windowSeconds],
  );
  return Math.max(0, ...rows.map((row) => row.failures));
}

export async function deleteLoginFailures(queryable: Queryable, subject: string): Promise<void> {
  await queryable.query(`DELETE FROM login_failures WHERE login_failures.subject = $1`, [subject]);
}

/** Rows whose window has passed count for nothing; removing them keeps the table the size of the attack. */
export async function deleteExpiredLoginFailures(queryable: Queryable, windowSeconds: number): Promise<void> {
  await queryable.query(
    `DELETE FROM login_failures WHERE login_failures.last_failure_at <= now() - make_interval(secs => $1)`,
    [windowSeconds],
  );
}

import type { Queryable } from '@repopulse/core';

/** What admins are shown when someone has been guessing a user's password (the proxy refused logins). */
export interface LoginThrottleNotice {
  since: Date;
  /** When guesses are evaluated again (past, when the episode is over). */
  until: Date;
  /** Attempts refused without checking the password. */
  refusedAttempts: number;
}

/**
 * The proxy's throttle episodes (`login_throttles`, migration 0017) of the last day, by the lower-cased
 * usernames they concern (`user:<name>`; the proxy counts usernames, known or not).
 */
export async function selectLoginThrottles(
  queryable: Queryable,
  usernames: readonly string[],
): Promise<Map<string, LoginThrottleNotice>> {
  const { rows } = await queryable.query<{ username: string } & LoginThrottleNotice>(
    `SELECT substr(login_throttles.subject, 6) AS username, login_throttles.started_at AS since,
            login_throttles.until, login_throttles.refused AS "refusedAttempts"
     FROM login_throttles
     WHERE login_throttles.subject = any($1::text[])
       AND login_throttles.until > now() - interval '1 day'`,
    [usernames.map((username) => `user:${username.toLowerCase()}`)],
  );
  return new Map(rows.map(({ username, ...notice }) => [username, notice]));
}

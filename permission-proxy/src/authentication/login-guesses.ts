import type { Database, Queryable } from '@repopulse/core';

/**
 * The bound on evaluated password guesses (tables `login_guesses` and `login_throttles`, migration 0017),
 * shared by every replica. Times are the database's clock (`clock_timestamp()`, not the transaction's
 * start, since a guess may wait for the subject's lock).
 */

export interface GuessBudget {
  /** `user:<lower-case username>` or `address:<ip>`. */
  subject: string;
  /** Guesses allowed within the window. */
  limit: number;
}

export type GuessReservation =
  | { granted: true; guessIds: string[] }
  | {
      granted: false;
      /** The subjects that used up their window, with when each may guess again. */
      exhausted: Array<{ subject: string; guesses: number; retryAfterSeconds: number; until: Date }>;
    };

/**
 * Takes one guess for every subject, or none when any of them has used its limit within the window.
 * Under a transaction-scoped lock per subject (taken in a fixed order, so two attempts never wait for
 * each other), so concurrent attempts on any replica cannot all see room for one more.
 */
export function reserveLoginGuess(
  database: Database,
  budgets: readonly GuessBudget[],
  windowSeconds: number,
): Promise<GuessReservation> {
  const subjects = budgets.map((budget) => budget.subject).sort();
  return database.transaction(async (transaction) => {
    for (const subject of subjects) {
      await transaction.query(`SELECT pg_advisory_xact_lock(hashtextextended('login:' || $1, 0))`, [subject]);
    }
    const { rows } = await transaction.query<{
      subject: string;
      guesses: number;
      until: Date;
      retry_after_seconds: number;
    }>(
      `SELECT login_guesses.subject, count(*)::integer AS guesses,
              min(login_guesses.guessed_at) + make_interval(secs => $2) AS until,
              greatest(1, ceil(extract(epoch FROM min(login_guesses.guessed_at) + make_interval(secs => $2)
                                              - clock_timestamp())))::integer AS retry_after_seconds
       FROM login_guesses
       WHERE login_guesses.subject = any($1::text[])
         AND login_guesses.guessed_at > clock_timestamp() - make_interval(secs => $2)
       GROUP BY login_guesses.subject`,
      [subjects, windowSeconds],
    );
    const exhausted = rows
      .filter((row) => row.guesses >= budgets.find((budget) => budget.subject === row.subject)!.limit)
      .map((row) => ({
        subject: row.subject,
        guesses: row.guesses,
        retryAfterSeconds: row.retry_after_seconds,
        until: row.until,
      }));
    if (exhausted.length > 0) return { granted: false, exhausted };
    const inserted = await transaction.query<{ id: string }>(
      `INSERT INTO login_guesses (subject, guessed_at)
       SELECT subject, clock_timestamp() FROM unnest($1::text[]) AS subject
       RETURNING login_guesses.id::text AS id`,
      [subjects],
    );
    return { granted: true, guessIds: inserted.rows.map((row) => row.id) };
  });
}

/** A right password was no guess: it gives its slots back. */
export async function releaseLoginGuesses(queryable: Queryable, guessIds: readonly string[]): Promise<void> {
  await queryable.query(`DELETE FROM login_guesses WHERE login_guesses.id = any($1::bigint[])`, [guessIds]);
}

/**
 * Counts a refused attempt against the subject's throttle episode; true when it starts a new one (the
 * previous ended before now), which is when the refusal is audited.
 */
export async function upsertLoginThrottle(
  queryable: Queryable,
  subject: string,
  until: Date,
): Promise<boolean> {
  const { rows } = await queryable.query<{ started: boolean }>(
    `INSERT INTO login_throttles AS existing (subject, started_at, until, refused)
     VALUES ($1, clock_timestamp(), $2, 1)
     ON CONFLICT (subject) DO UPDATE SET
       started_at = CASE WHEN existing.until < clock_timestamp() THEN clock_timestamp() ELSE existing.started_at END,
       refused = CASE WHEN existing.until < clock_timestamp() THEN 1 ELSE existing.refused + 1 END,
       until = CASE WHEN existing.until < clock_timestamp() THEN excluded.until
                    ELSE greatest(existing.until, excluded.until) END
     RETURNING existing.refused = 1 AS started`,
    [subject, until],
  );
  return rows[0]?.started ?? false;
}

/** Guesses past their window count for nothing; throttles are kept a day for admins to see. */
export async function deleteExpiredLoginGuesses(queryable: Queryable, windowSeconds: number): Promise<void> {
  await queryable.query(
    `DELETE FROM login_guesses WHERE login_guesses.guessed_at <= clock_timestamp() - make_interval(secs => $1)`,
    [windowSeconds],
  );
  await queryable.query(
    `DELETE FROM login_throttles WHERE login_throttles.until <= clock_timestamp() - interval '1 day'`,
  );
}

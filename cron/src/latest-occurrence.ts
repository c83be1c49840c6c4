/** A schedule as node-cron compiled it: whether an instant matches, in the schedule's time zone. */
export interface MatchableSchedule {
  match(date: Date): boolean;
}

/** How far back catch-up looks for a missed occurrence: a monthly schedule's whole period, with room. */
export const catchUpLookbackMinutes = 35 * 24 * 60;

/**
 * The latest instant in (after, upTo] at which the schedule fires, or undefined if there is none within
 * `catchUpLookbackMinutes` of upTo. node-cron answers only "what comes next from now", so this walks back
 * minute by minute, asking node-cron itself whether each matches — the same matcher that fires it, so
 * catch-up and the live schedule never disagree (day-of-month with day-of-week, time zones, DST). Only
 * the seconds a schedule names can match, and the minute, hour and day fields are alike for every second
 * of a minute, so one probe per minute decides whether the minute needs a closer look.
 */
export function latestOccurrence(
  schedule: MatchableSchedule,
  seconds: readonly number[],
  range: { after: Date; upTo: Date },
): Date | undefined {
  const descending = [...seconds].sort((a, b) => b - a);
  const probe = descending.at(-1);
  if (probe === undefined) return undefined;
  const afterMs = range.after.getTime();
  const upToMs = range.upTo.getTime();
  let minute = Math.floor(upToMs / 60_000) * 60_000;
  for (let step = 0; step <= catchUpLookbackMinutes; step++, minute -= 60_000) {
    if (minute + 59_999 <= afterMs) return undefined;
    if (!schedule.match(new Date(minute + probe * 1_000))) continue;
    for (const second of descending) {
      const instant = minute + second * 1_000;
      if (instant > upToMs) continue;
      if (instant <= afterMs) return undefined;
      if (schedule.match(new Date(instant))) return new Date(instant);
    }
  }
  return undefined;
}

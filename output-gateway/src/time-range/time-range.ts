import { invalidParameter } from '../http/query-parameters.js';
import { isSupportedInstant, parseInstant } from './parse-instant.js';

export const intervals = ['day', 'week', 'month'] as const;
export type Interval = (typeof intervals)[number];

/** One answer holds at most this many buckets: nearly three years of days, twenty of weeks. */
export const maxBuckets = 1000;

const dayMs = 24 * 60 * 60 * 1000;
const defaultSpanMs = 365 * dayMs;

/** The half-open range [from, to) of a time-series query, cut into UTC buckets of `interval`. */
export interface TimeRange {
  from: Date;
  to: Date;
  interval: Interval;
}

export interface TimeRangeQuery {
  from?: string | undefined;
  to?: string | undefined;
  interval: Interval;
}

/**
 * Parses `from` and `to` (`to` defaults to the end of today, UTC, `from` to 365 days before `to`) and
 * refuses a range that is empty or needs more than `maxBuckets` buckets, naming the parameter at fault.
 * Buckets are whole days anyway, and a default that moves only daily keeps the answer's ETag stable.
 */
export function resolveTimeRange(query: TimeRangeQuery, now: Date): TimeRange {
  const to = query.to === undefined ? endOfUtcDay(now) : parseInstantParameter('to', query.to);
  const from =
    query.from === undefined
      ? new Date(to.getTime() - defaultSpanMs)
      : parseInstantParameter('from', query.from);
  if (!isSupportedInstant(from)) {
    throw invalidParameter(
      'from',
      `Query parameter "from" defaults to 365 days before "to", which is before year 1`,
    );
  }
  if (from >= to) {
    throw invalidParameter(
      'from',
      `Query parameter "from" (${from.toISOString()}) must be before "to" (${to.toISOString()})`,
    );
  }
  const buckets = countBuckets(from, to, query.interval);
  if (buckets > maxBuckets) {
    throw invalidParameter(
      'from',
      `Query parameter "from" is too far before "to": the range spans ${buckets} ${query.interval} buckets and ` +
        `one answer holds at most ${maxBuckets}; move "from" closer to "to" or choose a longer interval`,
    );
  }
  return { from, to, interval: query.interval };
}

/** How many buckets cover [from, to): the one holding `from` through the one holding the last millisecond. */
export function countBuckets(from: Date, to: Date, interval: Interval): number {
  return bucketNumber(new Date(to.getTime() - 1), interval) - bucketNumber(from, interval) + 1;
}

/** The bucket's number counted from the epoch, truncating in UTC as PostgreSQL's date_trunc does. */
function bucketNumber(instant: Date, interval: Interval): number {
  const day = Math.floor(instant.getTime() / dayMs);
  switch (interval) {
    case 'day':
      return day;
    case 'week':
      // Weeks start on Monday; 1970-01-01 was a Thursday, three days into its week.
      return Math.floor((day + 3) / 7);
    case 'month':
      return instant.getUTCFullYear() * 12 + instant.getUTCMonth();
  }
}

function parseInstantParameter(parameter: 'from' | 'to', text: string): Date {
  const instant = parseInstant(text);
  if (instant !== undefined) return instant;
  // A "+" in an unencoded query string arrives as a space, so "+02:00" offsets break silently.
  const hint = text.includes(' ') ? '; send a "+" in an offset as %2B' : '';
  throw invalidParameter(
    parameter,
    `Query parameter "${parameter}" must be an RFC 3339 date-time (2024-05-01T12:00:00Z) or a date ` +
      `(2024-05-01) between years 1 and 9999, got "${text}"${hint}`,
  );
}

function endOfUtcDay(instant: Date): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate() + 1));
}

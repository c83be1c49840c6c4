import { _, type KeywordCxt, type KeywordDefinition } from 'ajv/dist/2020.js';

/**
 * Times every module stores, as one rule: an RFC 3339 date-time that PostgreSQL and JavaScript read as the
 * same instant, inside a sane window. RFC 3339 allows more than that, and each excess fails somewhere:
 * - offsets up to ±23:59 (`9999-12-31T23:59:59-23:59`): PostgreSQL refuses offsets beyond ±15:59;
 * - second 60 (a leap second): JavaScript cannot parse it, PostgreSQL moves it into the next minute;
 * - more than six decimals: PostgreSQL rounds to microseconds, so `23:59:59.9999999Z` is the next day there
 *   but not for the engine, which counts it on its activity day;
 * - years 0000 to 1969 and far in the future: year 0 does not exist in PostgreSQL, a year past 9999 cannot be
 *   written back in four digits, and no event of a repository is older than 1970 (git's epoch) or in the
 *   future beyond a clock's skew.
 * The window is 1970-01-01T00:00:00Z to one day after the moment of the check. It only widens with time, so
 * what the gateway accepted the engine accepts too when it checks again later.
 */
export const earliestInstant = '1970-01-01T00:00:00Z';
export const latestInstantAheadMs = 24 * 60 * 60 * 1000;

/** The keyword a schema names the rule with, and its value there (documentation for OpenAPI readers). */
export const instantKeyword = 'x-instant';
export const instantRule = {
  earliest: earliestInstant,
  latestAheadOfNowSeconds: latestInstantAheadMs / 1000,
};

// Checked first, without captures; the numbers are then read at their fixed places.
const profile = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const earliestMs = Date.parse(earliestInstant);
const daysOfMonths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export const instantProfileMessage =
  'must be an RFC 3339 date-time such as 2026-05-01T12:00:00Z (seconds 00-59, at most 6 decimals, an offset within ±15:59)';
export const instantWindowMessage = `must be a time from ${earliestInstant} to one day from now`;

/** The number written by the `count` digits from `at` (the profile has checked they are digits). */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let index = at; index < at + count; index++) value = value * 10 + text.charCodeAt(index) - 48;
  return value;
}

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : daysOfMonths[month - 1]!;
}

/** The instant of a string that matched the profile, in milliseconds; NaN when a field is out of range. */
function profiledInstant(text: string): number {
  const [year, month, day] = [digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2)];
  const [hour, minute, second] = [digits(text, 11, 2), digits(text, 14, 2), digits(text, 17, 2)];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  if (hour > 23 || minute > 59 || second > 59) return Number.NaN;
  let offsetMinutes = 0;
  const last = text.charCodeAt(text.length - 1);
  if (last !== 90 && last !== 122) {
    const hours = digits(text, text.length - 5, 2);
    const minutes = digits(text, text.length - 2, 2);
    if (hours > 15 || minutes > 59) return Number.NaN;
    offsetMinutes = (text.charCodeAt(text.length - 6) === 45 ? -1 : 1) * (hours * 60 + minutes);
  }
  // Years before 1969 are out of the window anyway, and Date.UTC reads years 0-99 as 1900-1999.
  if (year < 1969) return Number.NEGATIVE_INFINITY;
  // The fraction is left out: less than a second matters to neither end of the window.
  return Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
}

/**
 * Why `value` is not a storable time (`instantProfileMessage` or `instantWindowMessage`), or undefined when
 * it is one. A number is read as seconds since the epoch (GitHub's push payloads).
 */
export function instantProblem(value: string | number, nowMs = Date.now()): string | undefined {
  let ms: number;
  if (typeof value === 'number') ms = value * 1000;
  else ms = profile.test(value) ? profiledInstant(value) : Number.NaN;
  if (Number.isNaN(ms) || (typeof value === 'number' && !Number.isFinite(ms))) return instantProfileMessage;
  if (ms < earliestMs || ms > nowMs + latestInstantAheadMs) return instantWindowMessage;
  return undefined;
}

/** The instant of a storable time in milliseconds, or why it is none (see `instantProblem`). */
export function checkInstant(value: string | number, nowMs = Date.now()): number | string {
  const problem = instantProblem(value, nowMs);
  if (problem !== undefined) return problem;
  return typeof value === 'number' ? value * 1000 : profiledInstant(value);
}

/** Whether `value` is a storable time (see `instantProblem`). */
export function isStorableInstant(value: string | number, nowMs = Date.now()): boolean {
  return instantProblem(value, nowMs) === undefined;
}

/**
 * The ajv keyword `x-instant`: `{ type: 'string', format: 'date-time', 'x-instant': instantRule }`. Strings
 * are RFC 3339 times, numbers seconds since the epoch; other types are left to `type`. Generated inline (a
 * `code` keyword: one call per value, nothing allocated), since every event has a time or two.
 */
export const instantKeywordDefinition: KeywordDefinition = {
  keyword: instantKeyword,
  type: ['string', 'number'],
  schemaType: 'object',
  metaSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { earliest: { const: earliestInstant }, latestAheadOfNowSeconds: { const: 86_400 } },
  },
  code(cxt: KeywordCxt) {
    const problem = cxt.gen.scopeValue('func', { ref: instantProblem });
    cxt.fail(_`${problem}(${cxt.data}) !== undefined`);
  },
  error: {
    message: (cxt) => _`${cxt.gen.scopeValue('func', { ref: instantProblem })}(${cxt.data})`,
  },
};

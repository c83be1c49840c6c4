import type { ErrorObject, KeywordDefinition, SchemaValidateFunction } from 'ajv';

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

const profile =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
const earliestMs = Date.parse(earliestInstant);

export const instantProfileMessage =
  'must be a time such as 2026-05-01T12:00:00Z (seconds 00-59, at most 6 decimals, an offset within ±15:59)';
export const instantWindowMessage = `must be a time from ${earliestInstant} to one day from now`;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The instant of an RFC 3339 string in milliseconds, or why it is not a storable time (`instantProfileMessage`
 * or `instantWindowMessage`). A number is read as seconds since the epoch (GitHub's push payloads).
 */
export function checkInstant(value: string | number, nowMs = Date.now()): number | string {
  let ms: number;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return instantProfileMessage;
    ms = value * 1000;
  } else {
    const parts = profile.exec(value);
    if (parts === null) return instantProfileMessage;
    const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number) as number[];
    if (year! < 1969) return instantWindowMessage;
    if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth(year!, month!))
      return instantProfileMessage;
    if (hour! > 23 || minute! > 59 || second! > 59) return instantProfileMessage;
    let offsetMinutes = 0;
    if (parts[7] !== undefined) {
      const offsetHours = Number(parts[8]);
      const offsetRest = Number(parts[9]);
      if (offsetHours > 15 || offsetRest > 59) return instantProfileMessage;
      offsetMinutes = (parts[7] === '-' ? -1 : 1) * (offsetHours * 60 + offsetRest);
    }
    // The fraction is left out: less than a second matters to neither end of the window.
    ms = Date.UTC(year!, month! - 1, day!, hour, minute, second) - offsetMinutes * 60_000;
  }
  if (ms < earliestMs || ms > nowMs + latestInstantAheadMs) return instantWindowMessage;
  return ms;
}

/** Whether `value` is a storable time (see `checkInstant`). */
export function isStorableInstant(value: string | number, nowMs = Date.now()): boolean {
  return typeof checkInstant(value, nowMs) === 'number';
}

/**
 * The ajv keyword `x-instant`: `{ type: 'string', format: 'date-time', 'x-instant': instantRule }`. Strings
 * are RFC 3339 times, numbers seconds since the epoch; other types are left to `type`.
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
  errors: true,
  validate: function validateInstant(_rule: unknown, data: string | number) {
    const checked = checkInstant(data);
    if (typeof checked === 'number') return true;
    // ajv fills in instancePath and schemaPath of errors that lack them.
    (validateInstant as SchemaValidateFunction).errors = [
      { keyword: instantKeyword, message: checked, params: {} } as ErrorObject,
    ];
    return false;
  } as SchemaValidateFunction,
};

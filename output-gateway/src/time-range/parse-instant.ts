const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTime = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

// PostgreSQL has no year 0 and JavaScript writes years past 9999 with a sign; neither would round-trip.
const earliest = Date.parse('0001-01-01T00:00:00Z');
const latest = Date.parse('9999-12-31T23:59:59.999Z');

/** Whether PostgreSQL and JavaScript agree on how to write this instant. */
export function isSupportedInstant(instant: Date): boolean {
  return instant.getTime() >= earliest && instant.getTime() <= latest;
}

/**
 * An RFC 3339 date-time (any offset), or a plain YYYY-MM-DD meaning midnight UTC. Undefined when the
 * text is neither or names no real moment: `Date.parse` would roll 2024-02-30 over to March 1st.
 */
export function parseInstant(text: string): Date | undefined {
  const match = dateTime.exec(text) ?? dateOnly.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', offset = 'Z'] = match;
  const fields = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
  };
  // A leap second (60) is allowed by RFC 3339 and read, as JavaScript does, as the next minute's first.
  if (!isCalendarDate(fields) || fields.hour > 23 || fields.minute > 59 || Number(second) > 60)
    return undefined;
  const offsetMinutes = parseOffsetMinutes(offset);
  if (offsetMinutes === undefined) return undefined;
  const wallClock = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  wallClock.setUTCFullYear(fields.year, fields.month - 1, fields.day);
  wallClock.setUTCHours(
    fields.hour,
    fields.minute,
    Number(second),
    Number(fraction.padEnd(3, '0').slice(0, 3)),
  );
  const instant = new Date(wallClock.getTime() - offsetMinutes * 60_000);
  return isSupportedInstant(instant) ? instant : undefined;
}

function isCalendarDate({ year, month, day }: { year: number; month: number; day: number }): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const lastOfMonth = new Date(0);
  lastOfMonth.setUTCFullYear(year, month, 0);
  return day <= lastOfMonth.getUTCDate();
}

function parseOffsetMinutes(offset: string): number | undefined {
  if (offset === 'Z' || offset === 'z') return 0;
  const hours = Number(offset.slice(1, 3));
  const minutes = Number(offset.slice(4, 6));
  if (hours > 23 || minutes > 59) return undefined;
  return (offset.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * Numbers, dates and durations as the dashboards show them. The page is in English, so numbers are too
 * (`1,234.5`), whatever the browser's locale: a figure reads the same in a screenshot, a CSV and a test.
 */

const locale = 'en';
const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });

const missing = '—';
const isKnown = (value: number | null | undefined): value is number =>
  value !== null && value !== undefined && Number.isFinite(value);

export function formatNumber(value: number | null | undefined): string {
  if (!isKnown(value)) return missing;
  return Number.isInteger(value) ? integer.format(value) : oneDecimal.format(value);
}

/** A 0–100 score, to one decimal. */
export function formatScore(value: number | null | undefined): string {
  return isKnown(value) ? oneDecimal.format(value) : missing;
}

/** A 0–1 share or ratio as a percentage. */
export function formatShare(value: number | null | undefined): string {
  return isKnown(value) ? percent.format(value) : missing;
}

/** Hours as hours under two days, else days. */
export function formatHours(value: number | null | undefined): string {
  if (!isKnown(value)) return missing;
  return value < 48 ? `${oneDecimal.format(value)} h` : `${oneDecimal.format(value / 24)} days`;
}

/** The UTC day of an instant, `YYYY-MM-DD`: bucket starts are UTC midnights. */
export function formatDay(iso: string | null | undefined): string {
  if (!iso) return missing;
  return iso.slice(0, 10);
}

const dateTime = new Intl.DateTimeFormat(locale, {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return missing;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${dateTime.format(date)} UTC`;
}

import type { Interval } from '../api/read-api-types.js';

/** The ranges a time series can cover, as the URL names them (`?range=90d`), and their days. */
export const ranges = { '90d': 90, '180d': 180, '365d': 365, '730d': 730 } as const;
export type RangeName = keyof typeof ranges;
export const defaultRange: RangeName = '365d';

export const rangeOptions: ReadonlyArray<readonly [RangeName, string]> = [
  ['90d', 'Last 90 days'],
  ['180d', 'Last 180 days'],
  ['365d', 'Last year'],
  ['730d', 'Last two years'],
];

export const intervalOptions: ReadonlyArray<readonly [Interval, string]> = [
  ['day', 'Day'],
  ['week', 'Week'],
  ['month', 'Month'],
];

export interface TimeWindow {
  range: RangeName;
  interval: Interval;
}

/** The window a URL asks for; unknown values fall back to the defaults (a year, by week). */
export function timeWindowOf(query: URLSearchParams): TimeWindow {
  const range = query.get('range');
  const interval = query.get('interval');
  return {
    range: range !== null && Object.hasOwn(ranges, range) ? (range as RangeName) : defaultRange,
    interval: intervalOptions.some(([value]) => value === interval) ? (interval as Interval) : 'week',
  };
}

/**
 * The API's `from`/`interval` for a window. The API's own default is the year up to the end of today
 * (UTC), so the default range sends no `from`: the same URL, and cache entry, as any other client's.
 */
export function timeWindowQuery(window: TimeWindow, now = new Date()): { from?: string; interval: Interval } {
  if (window.range === defaultRange) return { interval: window.interval };
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const from = new Date(today - (ranges[window.range] - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, interval: window.interval };
}

/** The window as the view's URL carries it: defaults left out, so plain links stay plain. */
export function timeWindowUrlQuery(window: TimeWindow): Record<string, string | undefined> {
  return {
    range: window.range === defaultRange ? undefined : window.range,
    interval: window.interval === 'week' ? undefined : window.interval,
  };
}

export const intervalWord: Record<Interval, string> = {
  day: 'Day',
  week: 'Week starting',
  month: 'Month starting',
};

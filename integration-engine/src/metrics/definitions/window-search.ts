import { dayMs } from '../repository-facts.js';

/** The keys of `Item` that hold a time (ms since the epoch, or null when unknown). */
export type TimeKey<Item> = {
  [Key in keyof Item]-?: Item[Key] extends number | null ? Key : never;
}[keyof Item];

/** Indices `[start, end)` of a sorted array. */
export interface IndexRange {
  start: number;
  end: number;
}

const timeAt = <Item>(item: Item, key: TimeKey<Item>): number =>
  // A null time sorts last, as `ORDER BY … NULLS LAST` put it when the facts were loaded.
  (item[key] as number | null) ?? Infinity;

/**
 * The index of the first item whose `key` time is at or after `time`, in `items` sorted by that time
 * (nulls last); `items.length` when there is none. O(log n).
 */
export function firstIndexAtOrAfter<Item>(items: readonly Item[], key: TimeKey<Item>, time: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (timeAt(items[middle]!, key) < time) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The items of docs/METRICS.md's half-open window `[now − days, now)`, as an index range of sorted items. */
export function windowRange<Item>(
  items: readonly Item[],
  key: TimeKey<Item>,
  now: number,
  days: number,
): IndexRange {
  return {
    start: firstIndexAtOrAfter(items, key, now - days * dayMs),
    end: firstIndexAtOrAfter(items, key, now),
  };
}

/** The items before `now` (`[−∞, now)`), as an index range of sorted `items`. */
export function beforeRange<Item>(items: readonly Item[], key: TimeKey<Item>, now: number): IndexRange {
  return { start: 0, end: firstIndexAtOrAfter(items, key, now) };
}

// Facts are loaded once and never changed while the ~365 points of a series are computed from them, so an
// order by another time (pull requests by mergedAt, issues by closedAt) is sorted once per facts array and
// reused. A WeakMap lets the index go with the facts; keys are property names, so the cache cannot grow
// per call the way one keyed by inline functions would.
const sortedIndexes = new WeakMap<object, Map<PropertyKey, readonly unknown[]>>();

/**
 * `items` with a non-null `key` time, sorted by it (ties keep their order), for `windowRange` on a time
 * the facts are not sorted by. Sorted once per (array, key); O(log n) per window after that.
 */
export function sortedByTime<Item extends object>(
  items: readonly Item[],
  key: TimeKey<Item>,
): readonly Item[] {
  let byKey = sortedIndexes.get(items);
  if (!byKey) sortedIndexes.set(items, (byKey = new Map()));
  const cached = byKey.get(key) as readonly Item[] | undefined;
  if (cached) return cached;
  const sorted = items.filter((item) => item[key] !== null).sort((a, b) => timeAt(a, key) - timeAt(b, key));
  byKey.set(key, sorted);
  return sorted;
}

/** How many items fall in `[now − days, now)` by `key`, for `items` sorted by that time. */
export function countInWindow<Item>(
  items: readonly Item[],
  key: TimeKey<Item>,
  now: number,
  days: number,
): number {
  const { start, end } = windowRange(items, key, now, days);
  return end - start;
}

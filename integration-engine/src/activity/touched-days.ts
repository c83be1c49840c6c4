import { activityColumns, type ActivityColumn } from './activity-columns.js';

/**
 * The (repository, UTC day) pairs a write touched: the days of a fact's times before and after the
 * write. Only those days of the activity rollup are recomputed (`refreshActivityDays`).
 *
 * A writer that knows each fact's counted state before and after its write (the set-based writes, which
 * lock and read stored facts before changing them) also records the net change of each counted column
 * (`count`), so the rollups can be moved by those differences (`addActivityDeltas`) instead of recounted.
 */
export class TouchedDays {
  private readonly keys = new Set<string>();
  private readonly deltas = new Map<string, number[]>();

  add(repositoryId: string, ...times: Array<Date | string | null | undefined>): void {
    for (const time of times) {
      const key = dayKey(repositoryId, time);
      if (key !== undefined) this.keys.add(key);
    }
  }

  /** A fact counted in `column` on the day of `at` (+1), or no longer counted there (−1). */
  count(
    repositoryId: string,
    column: ActivityColumn,
    at: Date | string | null | undefined,
    sign: 1 | -1,
  ): void {
    const key = dayKey(repositoryId, at);
    if (key === undefined) return;
    this.keys.add(key);
    let counts = this.deltas.get(key);
    if (counts === undefined) {
      counts = activityColumns.map(() => 0);
      this.deltas.set(key, counts);
    }
    counts[activityColumns.indexOf(column)]! += sign;
  }

  get size(): number {
    return this.keys.size;
  }

  /** Sorted, so concurrent writers lock rollup rows in one order and cannot deadlock on them. */
  toColumns(): { repositoryIds: string[]; days: string[] } {
    const pairs = this.sortedPairs();
    return { repositoryIds: pairs.map((pair) => pair.repositoryId), days: pairs.map((pair) => pair.day) };
  }

  /** Every touched pair in `toColumns` order, with the net change of each counted column (0 where none). */
  toDeltaColumns(): { repositoryIds: string[]; days: string[]; deltas: Record<ActivityColumn, number[]> } {
    const pairs = this.sortedPairs();
    const deltas = Object.fromEntries(
      activityColumns.map((column, index) => [
        column,
        pairs.map((pair) => this.deltas.get(pair.key)?.[index] ?? 0),
      ]),
    ) as Record<ActivityColumn, number[]>;
    return {
      repositoryIds: pairs.map((pair) => pair.repositoryId),
      days: pairs.map((pair) => pair.day),
      deltas,
    };
  }

  /** The pairs by repository (as PostgreSQL orders bigints), then day, with their dates as YYYY-MM-DD. */
  private sortedPairs(): Array<{ key: string; repositoryId: string; day: string }> {
    const pairs = [...this.keys].map((key) => {
      const separator = key.indexOf('|');
      return { key, repositoryId: key.slice(0, separator), dayNumber: Number(key.slice(separator + 1)) };
    });
    pairs.sort((a, b) => compareIds(a.repositoryId, b.repositoryId) || a.dayNumber - b.dayNumber);
    return pairs.map(({ key, repositoryId, dayNumber }) => ({
      key,
      repositoryId,
      day: new Date(dayNumber * millisecondsPerDay).toISOString().slice(0, 10),
    }));
  }
}

const millisecondsPerDay = 86_400_000;

/** Ids as PostgreSQL orders bigints: by length, then by digits. */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** The pair's key: the repository and the UTC day as a number of days since 1970 (cheap; dates come last). */
function dayKey(repositoryId: string, time: Date | string | null | undefined): string | undefined {
  if (time === null || time === undefined) return undefined;
  const ms = time instanceof Date ? time.getTime() : Date.parse(time);
  if (!Number.isFinite(ms)) return undefined;
  return `${repositoryId}|${Math.floor(ms / millisecondsPerDay)}`;
}

/**
 * The (repository, UTC day) pairs a write touched: the days of a fact's times before and after the
 * write. Only those days of the activity rollup are recomputed.
 */
export class TouchedDays {
  private readonly keys = new Set<string>();

  add(repositoryId: string, ...times: Array<Date | string | null | undefined>): void {
    for (const time of times) {
      if (time === null || time === undefined) continue;
      const date = time instanceof Date ? time : new Date(time);
      if (!Number.isFinite(date.getTime())) continue;
      this.keys.add(`${repositoryId}|${date.toISOString().slice(0, 10)}`);
    }
  }

  get size(): number {
    return this.keys.size;
  }

  /** Sorted, so concurrent writers lock rollup rows in one order and cannot deadlock on them. */
  toColumns(): { repositoryIds: string[]; days: string[] } {
    const pairs = [...this.keys].sort().map((key) => key.split('|') as [string, string]);
    return { repositoryIds: pairs.map(([id]) => id), days: pairs.map(([, day]) => day) };
  }
}

import { GithubQueryTooExpensiveError, GithubServerError } from './github-errors.js';

/**
 * The page size of a GraphQL connection, learnt as it goes: halved when GitHub refuses a query as too heavy,
 * grown back (×1.5) after `growAfter` successes in a row. Share one across the pages of one crawl.
 */
export class AdaptivePageSize {
  private size: number;
  private successes = 0;

  constructor(
    initial = 100,
    readonly min = 5,
    readonly max = 100,
    readonly growAfter = 3,
  ) {
    if (min < 1 || min > max) throw new RangeError(`page size bounds ${min}..${max} are not usable`);
    this.size = Math.min(max, Math.max(min, Math.floor(initial)));
  }

  get current(): number {
    return this.size;
  }

  /** Halves the size; false when it was already at the minimum. */
  shrink(): boolean {
    this.successes = 0;
    if (this.size <= this.min) return false;
    this.size = Math.max(this.min, Math.floor(this.size / 2));
    return true;
  }

  /** Counts a success; every `growAfter` of them in a row grows the size by half, up to the maximum. */
  grow(): void {
    this.successes++;
    if (this.successes < this.growAfter) return;
    this.successes = 0;
    this.size = Math.min(this.max, Math.max(this.size + 1, Math.floor(this.size * 1.5)));
  }
}

/**
 * Runs `run(first)` at the sizer's current size; on `GithubQueryTooExpensiveError` halves the size and runs
 * it again, down to the minimum, where the error becomes a plain `GithubServerError` (try again later).
 */
export async function withAdaptivePageSize<T>(
  sizer: AdaptivePageSize,
  run: (first: number) => Promise<T>,
): Promise<T> {
  for (;;) {
    const first = sizer.current;
    try {
      const result = await run(first);
      sizer.grow();
      return result;
    } catch (error) {
      if (!(error instanceof GithubQueryTooExpensiveError)) throw error;
      if (!sizer.shrink()) {
        throw new GithubServerError(
          `GitHub refuses the query even at ${first} per page: ${error.message}`,
          error.status,
          { cause: error },
        );
      }
    }
  }
}

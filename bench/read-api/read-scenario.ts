/** One read of the API, asked of the output gateway and answered again from the raw facts. */
export interface ReadScenario {
  name: string;
  /** Held to the target: p99 under 50 ms through HTTP. */
  targeted: boolean;
  /** The gateway's path for sample `index` (subjects repeat after the sample count). */
  path(index: number): string;
  /** The same answer by a plain SQL query over the raw fact tables, for sample `index`. */
  raw(index: number): Promise<unknown>;
  /** Asks the raw query only every n-th round (default 1): for one that scans every fact, seconds each. */
  rawEvery?: number;
  /**
   * Compares the endpoint's answer with the raw one (sample 0, before the measurement): what differs, or
   * undefined when they agree. Proves the two sides answer the same question.
   */
  compare?(endpoint: unknown, raw: unknown): string | undefined;
}

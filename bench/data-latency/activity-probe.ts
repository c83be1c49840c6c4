import { proxiedFetch } from '@repopulse/core/testing';
import { probeOwner } from './steady-sender.js';

const dayMs = 24 * 60 * 60 * 1000;

export interface ProbeOptions {
  /** The output gateway's base URL. */
  outputBase: string;
  intervalMs: number;
  timeoutMs: number;
}

/** Yesterday through tomorrow in daily buckets: "now" stays inside even if the run crosses midnight (UTC). */
function activityQuery(now: Date): string {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const from = new Date(today - dayMs).toISOString();
  const to = new Date(today + 2 * dayMs).toISOString();
  return `from=${from}&to=${to}&interval=day`;
}

interface ActivityAnswer {
  series: Array<{ commits: number }>;
}

/**
 * Polls the probe repository's activity, as a dashboard would but every `intervalMs`, until it counts the
 * marker commit; resolves with the milliseconds from `acceptedAt` (the gateway's 202) to that answer, or
 * undefined after `timeoutMs`. No If-None-Match is sent, so every answer is a full 200 (or 404 while the
 * repository does not exist yet); Node's fetch keeps no HTTP cache.
 */
export async function waitUntilCounted(
  repositoryName: string,
  acceptedAt: number,
  options: ProbeOptions,
): Promise<number | undefined> {
  const url = `${options.outputBase}/v1/repositories/${probeOwner}/${repositoryName}/activity?${activityQuery(new Date())}`;
  const deadline = acceptedAt + options.timeoutMs;
  for (;;) {
    const response = await proxiedFetch(url);
    const seenAt = performance.now();
    if (response.status === 200) {
      const answer = (await response.json()) as ActivityAnswer;
      if (answer.series.some((bucket) => bucket.commits > 0)) return seenAt - acceptedAt;
    } else {
      await response.arrayBuffer();
      if (response.status !== 404) throw new Error(`${url} answered ${response.status}`);
    }
    if (seenAt > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}

import type { CrawlRunRecord } from './crawl-run-store.js';

/** A crawl run as the admin API answers it; `durationMs` runs on while the run does. */
export function crawlRunView(run: CrawlRunRecord, now = new Date()) {
  const { createdAtKey: _key, createdAt, startedAt, finishedAt, ...fields } = run;
  return {
    ...fields,
    createdAt: createdAt.toISOString(),
    startedAt: startedAt?.toISOString() ?? null,
    finishedAt: finishedAt?.toISOString() ?? null,
    durationMs: startedAt ? (finishedAt ?? now).getTime() - startedAt.getTime() : null,
  };
}

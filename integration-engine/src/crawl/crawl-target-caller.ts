import type { CrawlRepositoryPayload, CrawlTargetCaller, Queryable } from '@repopulse/core';

/**
 * Who named a `crawl.repo` message's gitUrl. An admin, only when the message names a source (cron and the
 * admin panel set `sourceId`; the input gateway too, for an admin's request of a source's target) whose
 * row is a `git` source with exactly this target: a message cannot make itself an admin's by claiming it.
 * Anyone else is a supplier, whose targets must be https URLs of allowlisted hosts.
 */
export async function gitUrlCaller(
  queryable: Queryable,
  payload: Pick<CrawlRepositoryPayload, 'gitUrl' | 'sourceId'>,
): Promise<CrawlTargetCaller> {
  if (!payload.gitUrl || !payload.sourceId || !/^[1-9]\d{0,17}$/.test(payload.sourceId)) return 'supplier';
  const { rows } = await queryable.query<{ kind: string; target: string }>(
    `SELECT sources.kind, sources.target FROM sources WHERE sources.id = $1`,
    [payload.sourceId],
  );
  const source = rows[0];
  return source?.kind === 'git' && source.target === payload.gitUrl ? 'admin-source' : 'supplier';
}

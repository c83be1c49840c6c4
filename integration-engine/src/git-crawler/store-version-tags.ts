import type { Queryable } from '@repopulse/core';
import { markMetricsDirty } from '../activity/mark-metrics-dirty.js';
import { runGit, type GitCommandOptions } from './git-command.js';

export interface VersionTag {
  tag: string;
  taggedAt: Date;
}

// A version, as projects tag them: 1.2, v1.2.3, release-2.0, v2.0.0-rc.1, 3.4.5+build (not "latest", "nightly").
const versionPattern = /^(?:v|version-?|release-?|rel-?)?\d+(?:\.\d+)*(?:[-.+_][0-9A-Za-z.+_-]*)?$/i;

/** Whether a tag names a version. */
export function isVersionTag(tag: string): boolean {
  return versionPattern.test(tag);
}

/**
 * The mirror's version tags with their dates: `creatordate` is an annotated tag's tagger date and a
 * lightweight tag's commit date. Tags that point at no commit (a tagged tree or blob) are left out.
 */
export async function readVersionTags(git: GitCommandOptions): Promise<VersionTag[]> {
  const { stdout } = await runGit(
    [
      'for-each-ref',
      '--format=%(refname:strip=2)%09%(creatordate:unix)%09%(*objecttype)%(objecttype)',
      'refs/tags',
    ],
    git,
  );
  const tags: VersionTag[] = [];
  for (const line of stdout.split('\n')) {
    const [tag, seconds, type] = line.split('\t');
    if (!tag || !seconds || !isVersionTag(tag) || !type?.startsWith('commit')) continue;
    tags.push({ tag, taggedAt: new Date(Number(seconds) * 1_000) });
  }
  return tags;
}

/**
 * Makes the repository's stored version tags the given ones: new ones added, moved ones re-dated, gone ones
 * removed. The earliest day a change falls on is marked for the metrics' series (releases count tags).
 */
export async function storeVersionTags(
  transaction: Queryable,
  repositoryId: string,
  tags: readonly VersionTag[],
): Promise<void> {
  const { rows: stored } = await transaction.query<{ tag: string; tagged_at: Date }>(
    'SELECT tag, tagged_at FROM version_tags WHERE repository_id = $1',
    [repositoryId],
  );
  const before = new Map(stored.map((row) => [row.tag, row.tagged_at.getTime()]));
  const now = new Map(tags.map((tag) => [tag.tag, tag.taggedAt.getTime()]));
  const changed = tags.filter((tag) => before.get(tag.tag) !== tag.taggedAt.getTime());
  const removed = stored.filter((row) => !now.has(row.tag)).map((row) => row.tag);
  if (changed.length === 0 && removed.length === 0) return;
  await transaction.query('DELETE FROM version_tags WHERE repository_id = $1 AND tag = ANY ($2::text[])', [
    repositoryId,
    removed,
  ]);
  await transaction.query(
    `INSERT INTO version_tags (repository_id, tag, tagged_at)
     SELECT $1, input.tag, input.tagged_at FROM unnest($2::text[], $3::timestamptz[]) AS input (tag, tagged_at)
     ORDER BY input.tag COLLATE "C"
     ON CONFLICT (repository_id, tag) DO UPDATE SET tagged_at = EXCLUDED.tagged_at`,
    [repositoryId, changed.map((tag) => tag.tag), changed.map((tag) => tag.taggedAt)],
  );
  const times = [
    ...changed.map((tag) => tag.taggedAt.getTime()),
    ...changed.flatMap((tag) => (before.has(tag.tag) ? [before.get(tag.tag)!] : [])),
    ...removed.map((tag) => before.get(tag)!),
  ];
  const earliestDay = new Date(Math.min(...times)).toISOString().slice(0, 10);
  await markMetricsDirty(transaction, [repositoryId], [earliestDay]);
}

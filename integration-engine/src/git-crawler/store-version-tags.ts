import type { Queryable } from '@repopulse/core';
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

/** Makes the repository's stored version tags the given ones: new ones added, moved ones re-dated, gone ones removed. */
export async function storeVersionTags(
  transaction: Queryable,
  repositoryId: string,
  tags: readonly VersionTag[],
): Promise<void> {
  await transaction.query(
    `DELETE FROM version_tags WHERE repository_id = $1 AND NOT (tag = ANY ($2::text[]))`,
    [repositoryId, tags.map((tag) => tag.tag)],
  );
  if (tags.length === 0) return;
  await transaction.query(
    `INSERT INTO version_tags (repository_id, tag, tagged_at)
     SELECT $1, input.tag, input.tagged_at FROM unnest($2::text[], $3::timestamptz[]) AS input (tag, tagged_at)
     ORDER BY input.tag COLLATE "C"
     ON CONFLICT (repository_id, tag) DO UPDATE SET tagged_at = EXCLUDED.tagged_at
       WHERE version_tags.tagged_at IS DISTINCT FROM EXCLUDED.tagged_at`,
    [repositoryId, tags.map((tag) => tag.tag), tags.map((tag) => tag.taggedAt)],
  );
}

import type { Queryable } from '@repopulse/core';

/** What GitHub says about a repository now. Absent fields leave what is stored as it is. */
export interface RepositoryMetadata {
  githubId?: number;
  nodeId?: string;
  ownerType?: string;
  description?: string | null;
  homepage?: string | null;
  stars?: number;
  forks?: number;
  watchers?: number;
  openIssues?: number;
  primaryLanguage?: string | null;
  /** Language name → bytes. */
  languages?: Record<string, number>;
  topics?: string[];
  /** SPDX id, or null when GitHub detects none. */
  license?: string | null;
  defaultBranch?: string | null;
  archived?: boolean;
  isFork?: boolean;
  hasIssues?: boolean;
  createdAt?: string;
  pushedAt?: string | null;
  gitUrl?: string;
}

/**
 * Stores the metadata as of `observedAt`: an older observation (a late webhook) does not overwrite a
 * newer one (a crawl that already ran).
 */
export async function updateRepositoryMetadata(
  transaction: Queryable,
  repositoryId: string,
  metadata: RepositoryMetadata,
  observedAt: string,
): Promise<void> {
  const has = (key: keyof RepositoryMetadata) => Object.hasOwn(metadata, key);
  const value = <K extends keyof RepositoryMetadata>(key: K) => (has(key) ? (metadata[key] ?? null) : null);
  await transaction.query(
    `UPDATE repositories r SET
       -- A rename seen before its old name's row was merged: the id stays with the row that has it.
       github_id = CASE WHEN EXISTS (SELECT 1 FROM repositories o WHERE o.github_id = $3 AND o.id <> r.id)
         THEN r.github_id ELSE coalesce($3, r.github_id) END,
       node_id = coalesce($4, r.node_id),
       owner_type = coalesce($5, r.owner_type),
       description = CASE WHEN $6 THEN $7 ELSE r.description END,
       homepage = CASE WHEN $8 THEN $9 ELSE r.homepage END,
       stars = coalesce($10, r.stars),
       forks = coalesce($11, r.forks),
       watchers = coalesce($12, r.watchers),
       open_issues = coalesce($13, r.open_issues),
       primary_language = CASE WHEN $14 THEN $15 ELSE r.primary_language END,
       languages = coalesce($16::jsonb, r.languages),
       topics = coalesce($17::text[], r.topics),
       license = CASE WHEN $18 THEN $19 ELSE r.license END,
       default_branch = coalesce($20, r.default_branch),
       archived = coalesce($21, r.archived),
       is_fork = coalesce($22, r.is_fork),
       has_issues = coalesce($23, r.has_issues),
       repo_created_at = coalesce($24, r.repo_created_at),
       pushed_at = greatest(r.pushed_at, $25::timestamptz),
       git_url = coalesce($26, r.git_url),
       metadata_updated_at = $2,
       updated_at = now()
     WHERE r.id = $1 AND (r.metadata_updated_at IS NULL OR r.metadata_updated_at <= $2)`,
    [
      repositoryId,
      observedAt,
      value('githubId'),
      value('nodeId'),
      value('ownerType'),
      has('description'),
      value('description'),
      has('homepage'),
      value('homepage'),
      value('stars'),
      value('forks'),
      value('watchers'),
      value('openIssues'),
      has('primaryLanguage'),
      value('primaryLanguage'),
      has('languages') ? JSON.stringify(metadata.languages) : null,
      value('topics'),
      has('license'),
      value('license'),
      value('defaultBranch'),
      value('archived'),
      value('isFork'),
      value('hasIssues'),
      value('createdAt'),
      value('pushedAt'),
      value('gitUrl'),
    ],
  );
  if (metadata.stars !== undefined || metadata.forks !== undefined || metadata.watchers !== undefined) {
    // The day's snapshot of the counts (the latest observation of the day wins): gains come from these.
    await transaction.query(
      `INSERT INTO repository_counts_daily AS d (repository_id, day, stars, forks, watchers, observed_at)
       VALUES ($1, ($2::timestamptz AT TIME ZONE 'UTC')::date, $3, $4, $5, $2)
       ON CONFLICT (repository_id, day) DO UPDATE SET
         stars = CASE WHEN EXCLUDED.observed_at >= d.observed_at THEN coalesce(EXCLUDED.stars, d.stars) ELSE coalesce(d.stars, EXCLUDED.stars) END,
         forks = CASE WHEN EXCLUDED.observed_at >= d.observed_at THEN coalesce(EXCLUDED.forks, d.forks) ELSE coalesce(d.forks, EXCLUDED.forks) END,
         watchers = CASE WHEN EXCLUDED.observed_at >= d.observed_at THEN coalesce(EXCLUDED.watchers, d.watchers) ELSE coalesce(d.watchers, EXCLUDED.watchers) END,
         observed_at = greatest(d.observed_at, EXCLUDED.observed_at)`,
      [repositoryId, observedAt, metadata.stars ?? null, metadata.forks ?? null, metadata.watchers ?? null],
    );
  }
}

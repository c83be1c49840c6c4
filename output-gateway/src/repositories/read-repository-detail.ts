import type { Queryable } from '@repopulse/core';
import type { StoredMetrics } from '../metrics/snapshot-metrics.js';
import type { RepositoryIdentity } from './find-repository.js';

export interface RepositoryMetadata extends RepositoryIdentity {
  description: string | null;
  homepage: string | null;
  language: string | null;
  languages: Record<string, number> | null;
  topics: string[];
  license: string | null;
  defaultBranch: string | null;
  archived: boolean | null;
  fork: boolean | null;
  stars: number | null;
  forks: number | null;
  watchers: number | null;
  openIssues: number | null;
  createdAt: string | null;
  pushedAt: string | null;
  updatedAt: string;
}

export interface RepositorySnapshot {
  computedAt: string;
  metrics: StoredMetrics;
  health: Record<string, unknown>;
}

export interface RepositoryDetailRow {
  repository: RepositoryMetadata;
  /** Undefined until the engine first computed the repository's metrics. */
  snapshot?: RepositorySnapshot;
}

type Row = Omit<RepositoryMetadata, 'createdAt' | 'pushedAt' | 'updatedAt'> & {
  createdAt: Date | null;
  pushedAt: Date | null;
  updatedAt: Date;
  computedAt: Date | null;
  metrics: StoredMetrics | null;
  health: Record<string, unknown> | null;
};

// One lookup through the unique index on the lowered identity, and the snapshot by its primary key.
const repositoryDetailSql = `
  SELECT repositories.host, repositories.owner, repositories.name, repositories.description,
         repositories.homepage, repositories.primary_language AS "language", repositories.languages,
         coalesce(repositories.topics, '{}') AS "topics", repositories.license,
         repositories.default_branch AS "defaultBranch", repositories.archived, repositories.is_fork AS "fork",
         repositories.stars, repositories.forks, repositories.watchers, repositories.open_issues AS "openIssues",
         repositories.repo_created_at AS "createdAt", repositories.pushed_at AS "pushedAt",
         repositories.updated_at AS "updatedAt",
         metric_snapshots.computed_at AS "computedAt", metric_snapshots.metrics, metric_snapshots.health
    FROM repositories
    LEFT JOIN metric_snapshots ON metric_snapshots.repository_id = repositories.id
   WHERE lower(repositories.host) = lower($1)
     AND lower(repositories.owner) = lower($2)
     AND lower(repositories.name) = lower($3)`;

/** The repository's metadata and latest snapshot in one query; undefined for an unknown repository. */
export async function readRepositoryDetail(
  database: Queryable,
  identity: RepositoryIdentity,
): Promise<RepositoryDetailRow | undefined> {
  const result = await database.query<Row>(repositoryDetailSql, [
    identity.host,
    identity.owner,
    identity.name,
  ]);
  const row = result.rows[0];
  if (!row) return undefined;
  const { computedAt, metrics, health, createdAt, pushedAt, updatedAt, ...metadata } = row;
  const repository: RepositoryMetadata = {
    ...metadata,
    createdAt: createdAt?.toISOString() ?? null,
    pushedAt: pushedAt?.toISOString() ?? null,
    updatedAt: updatedAt.toISOString(),
  };
  if (!computedAt || !metrics || !health) return { repository };
  return { repository, snapshot: { computedAt: computedAt.toISOString(), metrics, health } };
}

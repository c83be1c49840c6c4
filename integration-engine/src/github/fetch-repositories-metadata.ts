import type { RepositoryMetadata } from '../repositories/update-repository-metadata.js';
import { AdaptivePageSize, withAdaptivePageSize } from './adaptive-page-size.js';
import type { GithubClient } from './github-client.js';
import type { GithubGraphqlErrorDetail } from './github-errors.js';
import {
  repositoriesMetadataQuery,
  repositoryAlias,
  type RepositoriesMetadataAnswer,
} from './repositories-metadata-query.js';
import { repositoryMetadataFromNode } from './repository-metadata-query.js';

export interface RepositoryName {
  owner: string;
  name: string;
}

/** Why GitHub gave no metadata for one repository of a batch. */
export interface RepositoryMetadataFailure {
  /** not_found: no such repository (or not visible to the token); forbidden: blocked or access refused. */
  error: 'not_found' | 'forbidden' | 'unavailable';
  message: string;
}

export type RepositoryMetadataResult = RepositoryMetadata | RepositoryMetadataFailure;

export function isMetadataFailure(result: RepositoryMetadataResult): result is RepositoryMetadataFailure {
  return Object.hasOwn(result, 'error');
}

/** The key of a repository in the answer: `owner/name` as the caller spelled it. */
export function repositoryKey(repository: RepositoryName): string {
  return `${repository.owner}/${repository.name}`;
}

/** Repositories per request at first; the sizer makes batches smaller when GitHub finds one too heavy. */
const initialBatchSize = 30;

/**
 * The metadata of many repositories, 30 to a GraphQL request (one alias each). Partial answers are
 * accepted, so a repository that is gone is reported under its key and the rest of its batch still
 * counts. Errors of the request as a whole (rate limit, authentication, server) propagate.
 */
export async function fetchRepositoriesMetadata(options: {
  client: GithubClient;
  repositories: readonly RepositoryName[];
  onCost?: (cost: number) => void;
  signal?: AbortSignal;
}): Promise<Map<string, RepositoryMetadataResult>> {
  const { client, signal } = options;
  const results = new Map<string, RepositoryMetadataResult>();
  const sizer = new AdaptivePageSize(initialBatchSize, 1, 50);
  let next = 0;
  while (next < options.repositories.length) {
    signal?.throwIfAborted();
    const start = next;
    const { batch, data, errors, cost } = await withAdaptivePageSize(sizer, async (size) => {
      const batch = options.repositories.slice(start, start + size);
      const { query, variables } = repositoriesMetadataQuery(batch);
      const answer = await client.graphql<RepositoriesMetadataAnswer | null>(query, variables, {
        signal,
        allowPartial: true,
      });
      return { batch, ...answer };
    });
    options.onCost?.(cost);
    const failures = failuresByAlias(errors ?? []);
    batch.forEach((repository, index) => {
      const alias = repositoryAlias(index);
      const node = data?.[alias];
      results.set(
        repositoryKey(repository),
        node
          ? repositoryMetadataFromNode(node)
          : (failures.get(alias) ?? {
              error: 'unavailable',
              message: 'GitHub answered neither data nor an error',
            }),
      );
    });
    next = start + batch.length;
  }
  return results;
}

/** GitHub's error types: NOT_FOUND for a missing repository, FORBIDDEN for a blocked or refused one. */
function failuresByAlias(
  errors: readonly GithubGraphqlErrorDetail[],
): Map<string, RepositoryMetadataFailure> {
  const failures = new Map<string, RepositoryMetadataFailure>();
  for (const error of errors) {
    const alias = error.path?.[0];
    if (typeof alias !== 'string' || failures.has(alias)) continue;
    const kind =
      error.type === 'NOT_FOUND' ? 'not_found' : error.type === 'FORBIDDEN' ? 'forbidden' : 'unavailable';
    failures.set(alias, { error: kind, message: error.message });
  }
  return failures;
}

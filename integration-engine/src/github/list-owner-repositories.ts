import type { RepositoryMetadata } from '../repositories/update-repository-metadata.js';
import { connectionPages } from './crawl-github-pages.js';
import type { GithubClient } from './github-client.js';
import { GithubNotFoundError } from './github-errors.js';
import { ownerRepositoriesQuery, type OwnerRepositoriesAnswer } from './owner-repositories-query.js';
import { repositoryMetadataFromNode, type RepositoryMetadataNode } from './repository-metadata-query.js';

export interface OwnerRepository {
  owner: string;
  name: string;
  metadata: RepositoryMetadata;
}

export interface OwnerRepositories {
  ownerType: 'Organization' | 'User';
  /** The owner's login as GitHub spells it. */
  login: string;
  repositories: OwnerRepository[];
}

/**
 * Every repository an organisation or user owns, forks included (`metadata.isFork` marks them), with
 * each one's metadata from the same pages, so listing an organisation of 250 repositories costs three
 * requests rather than 250. An unknown login is a `GithubNotFoundError`.
 */
export async function listOwnerRepositories(options: {
  client: GithubClient;
  login: string;
  onCost?: (cost: number) => void;
  signal?: AbortSignal;
}): Promise<OwnerRepositories> {
  const { client, login, signal } = options;
  let owner: { type: 'Organization' | 'User'; login: string } | undefined;
  const pages = connectionPages<RepositoryMetadataNode>({
    signal,
    onCost: (cost) => options.onCost?.(cost),
    fetchPage: async (first, after) => {
      const { data, cost } = await client.graphql<OwnerRepositoriesAnswer>(
        ownerRepositoriesQuery,
        { login, first, after },
        { signal },
      );
      // repositoryOwner is null, without an error, for a login nobody has.
      if (!data.repositoryOwner) throw ownerNotFound(login);
      owner = {
        type: data.repositoryOwner.__typename === 'User' ? 'User' : 'Organization',
        login: data.repositoryOwner.login,
      };
      return { ...data.repositoryOwner.repositories, cost };
    },
  });
  const repositories: OwnerRepository[] = [];
  for await (const nodes of pages) {
    for (const node of nodes) {
      repositories.push({
        owner: node.owner.login,
        name: node.name,
        metadata: repositoryMetadataFromNode(node),
      });
    }
  }
  if (!owner) throw ownerNotFound(login);
  return { ownerType: owner.type, login: owner.login, repositories };
}

function ownerNotFound(login: string): GithubNotFoundError {
  return new GithubNotFoundError(404, `GitHub has no organisation or user '${login}'`);
}

import {
  rateLimitSelection,
  repositoryMetadataFragment,
  type RepositoryMetadataNode,
} from './repository-metadata-query.js';

/**
 * One page of an owner's repositories with their metadata, so listing an organisation also fetches the
 * metadata of all its repositories in bulk. `repositoryOwner` answers for organisations and users alike
 * (null for an unknown login, without an error). Only repositories the owner owns (not those it merely
 * collaborates on); oldest first, so a repository created while the listing pages is appended, not shifted.
 */
export const ownerRepositoriesQuery = `
query OwnerRepositories($login: String!, $first: Int!, $after: String) {
  ${rateLimitSelection}
  repositoryOwner(login: $login) {
    __typename
    login
    repositories(
      first: $first
      after: $after
      ownerAffiliations: [OWNER]
      orderBy: { field: CREATED_AT, direction: ASC }
    ) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { ...RepositoryMetadataFields }
    }
  }
}
${repositoryMetadataFragment}`;

export interface OwnerRepositoriesAnswer {
  repositoryOwner: {
    __typename: string;
    login: string;
    repositories: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: Array<RepositoryMetadataNode | null> | null;
    };
  } | null;
}

import type { FakeGithubState } from './fake-github-state.js';
import type { FakeToken } from './fake-github-types.js';
import {
  GithubTypedError,
  issueView,
  ownerView,
  pullRequestView,
  releaseView,
  repositoryView,
  type View,
} from './graphql-views.js';

export interface RateLimitView {
  cost: number;
  limit: number;
  remaining: number;
  used: number;
  resetAt: string;
  nodeCount: number;
}

function nodeById(state: FakeGithubState, id: string): View | null {
  for (const owner of state.owners.values()) if (owner.nodeId === id) return ownerView(state, owner);
  for (const repository of state.repositories.values()) {
    if (repository.nodeId === id) return repositoryView(state, repository);
    const pull = repository.pullRequests.find((candidate) => candidate.nodeId === id);
    if (pull) return pullRequestView(state, repository, pull);
    const issue = repository.issues.find((candidate) => candidate.nodeId === id);
    if (issue) return issueView(state, repository, issue);
    const release = repository.releases.find((candidate) => candidate.nodeId === id);
    if (release) return releaseView(repository, release, undefined);
  }
  return null;
}

function nodeOrError(state: FakeGithubState, id: string): View | GithubTypedError {
  return (
    nodeById(state, id) ??
    new GithubTypedError('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'`)
  );
}

/** The `Query` type: what a document's top-level fields resolve against. */
export function queryRoot(state: FakeGithubState, token: FakeToken, rateLimit: RateLimitView): View {
  return {
    __typename: 'Query',
    rateLimit: () => ({ __typename: 'RateLimit', ...rateLimit }),
    viewer: () => ({
      __typename: 'User',
      id: `U_${token.userId}`,
      databaseId: token.userId,
      login: token.login,
      name: null,
      url: `https://github.com/${token.login}`,
    }),
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repository = state.repository(owner, name);
      if (!repository) {
        throw new GithubTypedError(
          'NOT_FOUND',
          `Could not resolve to a Repository with the name '${owner}/${name}'.`,
        );
      }
      if (repository.blocked) throw new GithubTypedError('FORBIDDEN', 'Repository access blocked');
      return repositoryView(state, repository);
    },
    repositoryOwner: ({ login }: { login: string }) => {
      const owner = state.owner(login);
      return owner ? ownerView(state, owner) : null;
    },
    organization: ({ login }: { login: string }) => {
      const owner = state.owner(login);
      if (owner?.type !== 'Organization') {
        throw new GithubTypedError(
          'NOT_FOUND',
          `Could not resolve to an Organization with the login of '${login}'.`,
        );
      }
      return ownerView(state, owner);
    },
    user: ({ login }: { login: string }) => {
      const owner = state.owner(login);
      if (owner?.type !== 'User') {
        throw new GithubTypedError('NOT_FOUND', `Could not resolve to a User with the login of '${login}'.`);
      }
      return ownerView(state, owner);
    },
    node: ({ id }: { id: string }) => {
      const node = nodeOrError(state, id);
      if (node instanceof Error) throw node;
      return node;
    },
    // A missing id is a null in the list and a NOT_FOUND error at its index, as GitHub answers.
    nodes: ({ ids }: { ids: string[] }) => ids.map((id) => nodeOrError(state, id)),
  };
}

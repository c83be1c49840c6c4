import type { RepositoryMetadata } from '../repositories/update-repository-metadata.js';

/**
 * The repository fields every metadata read selects: the one-repository crawl, the aliased batches and
 * the owner listing share them, so all three store the same thing. `openIssues` adds open pull requests
 * to open issues, as REST's `open_issues_count` (which webhooks deliver) does.
 */
export const repositoryMetadataFragment = `
fragment RepositoryMetadataFields on Repository {
  databaseId
  id
  name
  owner { __typename login }
  description
  homepageUrl
  url
  stargazerCount
  forkCount
  watchers { totalCount }
  openIssues: issues(states: [OPEN]) { totalCount }
  openPullRequests: pullRequests(states: [OPEN]) { totalCount }
  primaryLanguage { name }
  languages(first: 50, orderBy: { field: SIZE, direction: DESC }) { edges { size node { name } } }
  repositoryTopics(first: 20) { nodes { topic { name } } }
  licenseInfo { spdxId }
  defaultBranchRef { name }
  isArchived
  isFork
  hasIssuesEnabled
  createdAt
  pushedAt
}`;

/** `rateLimit` in every query, so each answer says what it cost and what is left. */
export const rateLimitSelection = 'rateLimit { cost remaining resetAt }';

/** A repository as `RepositoryMetadataFields` selects it. */
export interface RepositoryMetadataNode {
  databaseId: number | null;
  id: string;
  name: string;
  owner: { __typename: string; login: string };
  description: string | null;
  homepageUrl: string | null;
  url: string;
  stargazerCount: number;
  forkCount: number;
  watchers: { totalCount: number };
  openIssues: { totalCount: number };
  openPullRequests: { totalCount: number };
  primaryLanguage: { name: string } | null;
  languages: { edges: Array<{ size: number; node: { name: string } } | null> | null } | null;
  repositoryTopics: { nodes: Array<{ topic: { name: string } } | null> | null };
  licenseInfo: { spdxId: string | null } | null;
  defaultBranchRef: { name: string } | null;
  isArchived: boolean;
  isFork: boolean;
  hasIssuesEnabled: boolean;
  createdAt: string;
  pushedAt: string | null;
}

export const repositoryMetadataQuery = `
query RepositoryMetadata($owner: String!, $name: String!) {
  ${rateLimitSelection}
  repository(owner: $owner, name: $name) { ...RepositoryMetadataFields }
}
${repositoryMetadataFragment}`;

export interface RepositoryMetadataAnswer {
  repository: RepositoryMetadataNode | null;
}

/**
 * GitHub's answer as the metadata the engine stores. The git URL is the web URL plus `.git`, which is
 * what REST's `clone_url` is on github.com and GitHub Enterprise alike; a license GitHub cannot name is
 * `NOASSERTION`, as webhooks report it.
 */
export function repositoryMetadataFromNode(node: RepositoryMetadataNode): RepositoryMetadata {
  const languages: Record<string, number> = {};
  for (const edge of node.languages?.edges ?? []) if (edge) languages[edge.node.name] = edge.size;
  const metadata: RepositoryMetadata = {
    nodeId: node.id,
    ownerType: node.owner.__typename,
    description: node.description || null,
    homepage: node.homepageUrl || null,
    stars: node.stargazerCount,
    forks: node.forkCount,
    watchers: node.watchers.totalCount,
    openIssues: node.openIssues.totalCount + node.openPullRequests.totalCount,
    primaryLanguage: node.primaryLanguage?.name ?? null,
    languages,
    topics: (node.repositoryTopics.nodes ?? []).flatMap((topic) => (topic ? [topic.topic.name] : [])),
    license: node.licenseInfo ? (node.licenseInfo.spdxId ?? 'NOASSERTION') : null,
    defaultBranch: node.defaultBranchRef?.name ?? null,
    archived: node.isArchived,
    isFork: node.isFork,
    hasIssues: node.hasIssuesEnabled,
    createdAt: node.createdAt,
    pushedAt: node.pushedAt,
    gitUrl: `${node.url}.git`,
  };
  if (node.databaseId !== null) metadata.githubId = node.databaseId;
  return metadata;
}

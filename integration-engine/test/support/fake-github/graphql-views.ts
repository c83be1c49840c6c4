import type { FakeGithubState } from './fake-github-state.js';
import type {
  FakeActor,
  FakeComment,
  FakeIssue,
  FakeOwner,
  FakePullRequest,
  FakeRelease,
  FakeRepository,
  FakeReview,
} from './fake-github-types.js';
import {
  connection,
  countOnlyConnection,
  ordered,
  type ConnectionArguments,
  type OrderArgument,
} from './graphql-connection.js';
import { timelineItemsConnection } from './graphql-timeline.js';

/**
 * Plain objects standing for GitHub's GraphQL types, built from the seeded state. A field is a value or a
 * function of its arguments; `__typename` picks the concrete type behind an interface or union. A field
 * the schema has but a view lacks answers "not implemented by the fake" (graphql-endpoint.ts), so a
 * crawler asking for something new finds out at once rather than reading nulls.
 */
export type View = Record<string, unknown> & { __typename: string };

/** An error as GitHub reports it, with its `type` next to the message (NOT_FOUND, FORBIDDEN…). */
export class GithubTypedError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const time = (value: string | null) => (value === null ? null : Date.parse(value));

export function actorView(actor: FakeActor | null): View | null {
  if (!actor) return null;
  const path = actor.type === 'Bot' ? `/apps/${actor.login}` : `/${actor.login}`;
  return {
    __typename: actor.type,
    id: actor.nodeId,
    databaseId: actor.databaseId,
    login: actor.login,
    name: null,
    avatarUrl: `https://avatars.githubusercontent.com/u/${actor.databaseId}?v=4`,
    resourcePath: path,
    url: `https://github.com${path}`,
    // Only a User has a company in GitHub's schema; the others' views must not pretend to.
    ...(actor.type === 'User' ? { company: actor.company } : {}),
  };
}

export function ownerView(state: FakeGithubState, owner: FakeOwner): View {
  return {
    __typename: owner.type,
    id: owner.nodeId,
    databaseId: owner.databaseId,
    login: owner.login,
    name: owner.name,
    createdAt: owner.createdAt,
    avatarUrl: `https://avatars.githubusercontent.com/u/${owner.databaseId}?v=4`,
    resourcePath: `/${owner.login}`,
    url: `https://github.com/${owner.login}`,
    repositories: (args: RepositoriesArguments) => repositoriesConnection(state, owner, args),
    repository: ({ name }: { name: string }) => {
      const repository = state.repository(owner.login, name);
      return repository ? repositoryView(state, repository) : null;
    },
  };
}

interface RepositoriesArguments extends ConnectionArguments {
  orderBy?: OrderArgument | null;
  isFork?: boolean | null;
  isArchived?: boolean | null;
  privacy?: 'PUBLIC' | 'PRIVATE' | null;
}

function repositoriesConnection(state: FakeGithubState, owner: FakeOwner, args: RepositoriesArguments) {
  const repositories = state
    .repositoriesOf(owner.login)
    .filter(
      (repository) =>
        (args.isFork === null || args.isFork === undefined || repository.isFork === args.isFork) &&
        (args.isArchived === null ||
          args.isArchived === undefined ||
          repository.archived === args.isArchived) &&
        (!args.privacy || repository.isPrivate === (args.privacy === 'PRIVATE')),
    );
  const sorted = ordered(
    repositories,
    args.orderBy,
    { field: 'CREATED_AT', direction: 'ASC' },
    (repository, field) =>
      field === 'NAME'
        ? repository.name.toLowerCase()
        : field === 'STARGAZERS'
          ? repository.stars
          : time(
              field === 'PUSHED_AT'
                ? repository.pushedAt
                : field === 'UPDATED_AT'
                  ? repository.updatedAt
                  : repository.createdAt,
            ),
  );
  return connection(sorted, args, {
    keyOf: (repository) => String(repository.databaseId),
    node: (repository) => repositoryView(state, repository),
    extra: { totalDiskUsage: 0, isOverLimit: false },
  });
}

function issueOrderValue(item: FakeIssue | FakePullRequest, field: string): number | null {
  if (field === 'UPDATED_AT') return time(item.updatedAt);
  if (field === 'COMMENTS') return item.comments.length;
  return time(item.createdAt);
}

function commentsConnection(comments: FakeComment[], args: ConnectionArguments) {
  return connection(comments, args, {
    keyOf: (comment) => String(comment.databaseId),
    node: (comment) => ({
      __typename: 'IssueComment',
      id: comment.nodeId,
      databaseId: comment.databaseId,
      author: actorView(comment.author),
      authorAssociation: 'NONE',
      body: comment.body,
      createdAt: comment.createdAt,
      publishedAt: comment.createdAt,
      updatedAt: comment.createdAt,
    }),
  });
}

function reviewView(review: FakeReview): View {
  return {
    __typename: 'PullRequestReview',
    id: review.nodeId,
    databaseId: review.databaseId,
    author: actorView(review.author),
    authorAssociation: 'NONE',
    state: review.state,
    body: review.body,
    submittedAt: review.submittedAt,
    createdAt: review.submittedAt,
    publishedAt: review.submittedAt,
    updatedAt: review.submittedAt,
  };
}

function pullRequestState(pull: FakePullRequest): 'OPEN' | 'CLOSED' | 'MERGED' {
  return pull.mergedAt ? 'MERGED' : pull.closedAt ? 'CLOSED' : 'OPEN';
}

export function pullRequestView(
  state: FakeGithubState,
  repository: FakeRepository,
  pull: FakePullRequest,
): View {
  return {
    __typename: 'PullRequest',
    id: pull.nodeId,
    databaseId: pull.databaseId,
    fullDatabaseId: String(pull.databaseId),
    number: pull.number,
    title: pull.title,
    body: '',
    url: `${repository.url}/pull/${pull.number}`,
    resourcePath: `/${repository.owner.login}/${repository.name}/pull/${pull.number}`,
    author: actorView(pull.author),
    authorAssociation: pull.authorAssociation,
    createdAt: pull.createdAt,
    updatedAt: pull.updatedAt,
    publishedAt: pull.createdAt,
    mergedAt: pull.mergedAt,
    closedAt: pull.closedAt,
    merged: pull.mergedAt !== null,
    closed: pull.closedAt !== null,
    state: pullRequestState(pull),
    isDraft: pull.isDraft,
    locked: false,
    mergedBy: actorView(pull.mergedBy),
    baseRefName: repository.defaultBranch,
    headRefName: `branch-${pull.number}`,
    additions: 0,
    deletions: 0,
    changedFiles: 0,
    totalCommentsCount: pull.comments.length,
    repository: () => repositoryView(state, repository),
    reviews: (args: ConnectionArguments & { states?: string[] | null }) =>
      connection(
        pull.reviews.filter((review) => !args.states || args.states.includes(review.state)),
        args,
        { keyOf: (review) => String(review.databaseId), node: reviewView },
      ),
    comments: (args: ConnectionArguments) => commentsConnection(pull.comments, args),
    timelineItems: (args: ConnectionArguments) => timelineItemsConnection(pull, args),
  };
}

export function issueView(state: FakeGithubState, repository: FakeRepository, issue: FakeIssue): View {
  return {
    __typename: 'Issue',
    id: issue.nodeId,
    databaseId: issue.databaseId,
    fullDatabaseId: String(issue.databaseId),
    number: issue.number,
    title: issue.title,
    body: '',
    url: `${repository.url}/issues/${issue.number}`,
    resourcePath: `/${repository.owner.login}/${repository.name}/issues/${issue.number}`,
    author: actorView(issue.author),
    authorAssociation: issue.authorAssociation,
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    publishedAt: issue.createdAt,
    closedAt: issue.closedAt,
    closed: issue.closedAt !== null,
    state: issue.closedAt ? 'CLOSED' : 'OPEN',
    stateReason: issue.stateReason,
    locked: false,
    repository: () => repositoryView(state, repository),
    comments: (args: ConnectionArguments) => commentsConnection(issue.comments, args),
    timelineItems: (args: ConnectionArguments) => timelineItemsConnection(issue, args),
  };
}

export function releaseView(
  repository: FakeRepository,
  release: FakeRelease,
  latest: FakeRelease | undefined,
): View {
  return {
    __typename: 'Release',
    id: release.nodeId,
    databaseId: release.databaseId,
    tagName: release.tagName,
    name: release.name,
    description: null,
    createdAt: release.createdAt,
    publishedAt: release.publishedAt,
    updatedAt: release.publishedAt ?? release.createdAt,
    isDraft: release.isDraft,
    isPrerelease: release.isPrerelease,
    isLatest: release === latest,
    url: `${repository.url}/releases/tag/${release.tagName}`,
    resourcePath: `/${repository.owner.login}/${repository.name}/releases/tag/${release.tagName}`,
    author: actorView(release.author),
  };
}

interface IssuesArguments extends ConnectionArguments {
  orderBy?: OrderArgument | null;
  states?: string[] | null;
  filterBy?: { since?: string | null; states?: string[] | null; createdBy?: string | null } | null;
}

function issuesConnection(state: FakeGithubState, repository: FakeRepository, args: IssuesArguments) {
  const states = args.states ?? args.filterBy?.states ?? null;
  const since = args.filterBy?.since ? Date.parse(args.filterBy.since) : null;
  const createdBy = args.filterBy?.createdBy?.toLowerCase();
  const issues = repository.issues.filter(
    (issue) =>
      (!states || states.includes(issue.closedAt ? 'CLOSED' : 'OPEN')) &&
      (since === null || Date.parse(issue.updatedAt) >= since) &&
      (!createdBy || issue.author?.login.toLowerCase() === createdBy),
  );
  const sorted = ordered(issues, args.orderBy, { field: 'CREATED_AT', direction: 'ASC' }, issueOrderValue);
  return connection(sorted, args, {
    keyOf: (issue) => String(issue.databaseId),
    node: (issue) => issueView(state, repository, issue),
  });
}

function pullRequestsConnection(
  state: FakeGithubState,
  repository: FakeRepository,
  args: IssuesArguments & { baseRefName?: string | null },
) {
  const pulls = repository.pullRequests.filter(
    (pull) =>
      (!args.states || args.states.includes(pullRequestState(pull))) &&
      (!args.baseRefName || args.baseRefName === repository.defaultBranch),
  );
  const sorted = ordered(pulls, args.orderBy, { field: 'CREATED_AT', direction: 'ASC' }, issueOrderValue);
  return connection(sorted, args, {
    keyOf: (pull) => String(pull.databaseId),
    node: (pull) => pullRequestView(state, repository, pull),
  });
}

function releasesConnection(
  repository: FakeRepository,
  args: ConnectionArguments & { orderBy?: OrderArgument | null },
) {
  const published = repository.releases.filter((release) => !release.isDraft && !release.isPrerelease);
  const latest = published.reduce<FakeRelease | undefined>(
    (best, release) => (!best || Date.parse(release.createdAt) > Date.parse(best.createdAt) ? release : best),
    undefined,
  );
  const sorted = ordered(
    repository.releases,
    args.orderBy,
    { field: 'CREATED_AT', direction: 'DESC' },
    (release, field) =>
      field === 'NAME' ? (release.name ?? release.tagName).toLowerCase() : time(release.createdAt),
  );
  return connection(sorted, args, {
    keyOf: (release) => String(release.databaseId),
    node: (release) => releaseView(repository, release, latest),
  });
}

function languagesConnection(
  repository: FakeRepository,
  args: ConnectionArguments & { orderBy?: OrderArgument | null },
) {
  const entries = Object.entries(repository.languages);
  const sorted = ordered(entries, args.orderBy, { field: 'SIZE', direction: 'DESC' }, ([, size]) => size);
  return connection(sorted, args, {
    keyOf: ([name]) => name,
    node: ([name]) => languageView(name),
    edge: ([, size]) => ({ size }),
    extra: { totalSize: entries.reduce((sum, [, size]) => sum + size, 0) },
  });
}

function languageView(name: string): View {
  return {
    __typename: 'Language',
    id: `LA_${Buffer.from(name).toString('base64url')}`,
    name,
    color: null,
  };
}

function refsConnection(repository: FakeRepository, args: ConnectionArguments & { refPrefix: string }) {
  const refs =
    args.refPrefix === 'refs/tags/'
      ? repository.tags.map((tag) => ({ name: tag.name, oid: tag.sha }))
      : args.refPrefix === 'refs/heads/'
        ? [{ name: repository.defaultBranch, oid: repository.headOid }]
        : [];
  return connection(refs, args, {
    keyOf: (ref) => ref.name,
    node: (ref) => refView(repository, args.refPrefix, ref.name, ref.oid),
  });
}

function refView(repository: FakeRepository, prefix: string, name: string, oid: string): View {
  return {
    __typename: 'Ref',
    id: `REF_${Buffer.from(`${repository.databaseId}:${prefix}${name}`).toString('base64url')}`,
    name,
    prefix,
    target: { __typename: 'Commit', id: `C_${oid}`, oid, abbreviatedOid: oid.slice(0, 7) },
  };
}

export function repositoryView(state: FakeGithubState, repository: FakeRepository): View {
  return {
    __typename: 'Repository',
    id: repository.nodeId,
    databaseId: repository.databaseId,
    name: repository.name,
    nameWithOwner: `${repository.owner.login}/${repository.name}`,
    owner: () => ownerView(state, repository.owner),
    description: repository.description,
    homepageUrl: repository.homepageUrl,
    url: repository.url,
    resourcePath: `/${repository.owner.login}/${repository.name}`,
    sshUrl: `git@github.com:${repository.owner.login}/${repository.name}.git`,
    stargazerCount: repository.stars,
    forkCount: repository.forks,
    stargazers: () => countOnlyConnection(repository.stars),
    watchers: () => countOnlyConnection(repository.watchers),
    forks: () => countOnlyConnection(repository.forks),
    primaryLanguage: repository.primaryLanguage === null ? null : languageView(repository.primaryLanguage),
    languages: (args: ConnectionArguments & { orderBy?: OrderArgument | null }) =>
      languagesConnection(repository, args),
    repositoryTopics: (args: ConnectionArguments) =>
      connection(repository.topics, args, {
        keyOf: (topic) => topic,
        node: (topic) => ({
          __typename: 'RepositoryTopic',
          id: `RT_${Buffer.from(topic).toString('base64url')}`,
          url: `https://github.com/topics/${topic}`,
          resourcePath: `/topics/${topic}`,
          topic: { __typename: 'Topic', id: `T_${Buffer.from(topic).toString('base64url')}`, name: topic },
        }),
      }),
    licenseInfo: repository.license && {
      __typename: 'License',
      id: `L_${repository.license.key}`,
      spdxId: repository.license.spdxId,
      key: repository.license.key,
      name: repository.license.name,
      nickname: null,
      url: `http://choosealicense.com/licenses/${repository.license.key}/`,
    },
    defaultBranchRef: refView(repository, 'refs/heads/', repository.defaultBranch, repository.headOid),
    refs: (args: ConnectionArguments & { refPrefix: string }) => refsConnection(repository, args),
    isArchived: repository.archived,
    archivedAt: repository.archived ? repository.updatedAt : null,
    isFork: repository.isFork,
    isPrivate: repository.isPrivate,
    isDisabled: false,
    isEmpty: false,
    isLocked: false,
    isMirror: false,
    isTemplate: false,
    visibility: repository.isPrivate ? 'PRIVATE' : 'PUBLIC',
    hasIssuesEnabled: repository.hasIssues,
    hasWikiEnabled: true,
    hasProjectsEnabled: true,
    hasDiscussionsEnabled: false,
    mirrorUrl: null,
    parent: null,
    createdAt: repository.createdAt,
    pushedAt: repository.pushedAt,
    updatedAt: repository.updatedAt,
    diskUsage: 0,
    issues: (args: IssuesArguments) => issuesConnection(state, repository, args),
    pullRequests: (args: IssuesArguments) => pullRequestsConnection(state, repository, args),
    releases: (args: ConnectionArguments & { orderBy?: OrderArgument | null }) =>
      releasesConnection(repository, args),
    issue: ({ number }: { number: number }) => {
      const issue = repository.issues.find((candidate) => candidate.number === number);
      if (!issue)
        throw new GithubTypedError(
          'NOT_FOUND',
          `Could not resolve to an Issue with the number of ${number}.`,
        );
      return issueView(state, repository, issue);
    },
    pullRequest: ({ number }: { number: number }) => {
      const pull = repository.pullRequests.find((candidate) => candidate.number === number);
      if (!pull) {
        throw new GithubTypedError(
          'NOT_FOUND',
          `Could not resolve to a PullRequest with the number of ${number}.`,
        );
      }
      return pullRequestView(state, repository, pull);
    },
    viewerPermission: 'READ',
  };
}

import { int4, jsonInt8, toStorableText, type RepositoryReference } from '@repopulse/core';
import type { ConversationDetails, PullRequestState } from '../facts/fact-types.js';
import type { FactChange } from '../facts/apply-fact-change.js';
import { isBot } from '../people/bots.js';
import type { RepositoryMetadata } from '../repositories/update-repository-metadata.js';
import type { GithubWebhookMessage } from './github-webhook-message.js';
import { pushToCommits } from './push-to-commits.js';
import {
  optionalBoolean,
  optionalInteger,
  optionalObject,
  optionalString,
  optionalTime,
  repositorySegment,
  requiredInteger,
  requiredObject,
  requiredString,
  type WebhookObject,
} from './webhook-body-fields.js';

/** Logins and tags are keys of their facts (`stars`, `releases`): short enough for their index. */
export const keyTextMaxLength = 255;

/** What one delivery means: the repository it is about and the fact changes it carries (maybe none). */
export interface WebhookFacts {
  repository: RepositoryReference;
  /** The repository as the payload describes it (every delivery carries it). */
  metadata: RepositoryMetadata;
  changes: FactChange[];
}

type EventMapping = (body: WebhookObject, receivedAt: string) => FactChange[];

const repositoryOnly: EventMapping = () => [];

const mappings: Readonly<Record<string, EventMapping>> = {
  push: pushToCommits,
  pull_request: pullRequestChanges,
  // A review is a response (and maybe an approval); its pull request snapshot updates the pull request.
  pull_request_review: pullRequestReviewChanges,
  issues: issueChanges,
  issue_comment: issueCommentChanges,
  release: releaseChanges,
  star: starChanges,
  watch: watchChanges,
  fork: forkChanges,
  create: repositoryOnly,
  delete: repositoryOnly,
  member: repositoryOnly,
  public: repositoryOnly,
  repository: repositoryOnly,
};

/** Maps a delivery onto facts; `undefined` for an event type the engine does not process. */
export function githubWebhookToFacts(message: GithubWebhookMessage): WebhookFacts | undefined {
  if (!Object.hasOwn(mappings, message.event)) return undefined;
  const mapping = mappings[message.event]!;
  return {
    repository: repositoryOf(message.body),
    metadata: repositoryMetadata(requiredObject(message.body, 'repository')),
    changes: mapping(message.body, message.receivedAt),
  };
}

/** The REST repository object every delivery carries. `watchers_count` there is stars, so it is left out. */
function repositoryMetadata(repository: WebhookObject): RepositoryMetadata {
  const metadata: RepositoryMetadata = {
    githubId: optionalInteger(repository, 'id', jsonInt8),
    nodeId: optionalString(repository, 'node_id'),
    ownerType: optionalString(repository, 'owner.type'),
    stars: optionalInteger(repository, 'stargazers_count', int4),
    forks: optionalInteger(repository, 'forks_count', int4),
    openIssues: optionalInteger(repository, 'open_issues_count', int4),
    defaultBranch: optionalString(repository, 'default_branch'),
    archived: optionalBoolean(repository, 'archived'),
    isFork: optionalBoolean(repository, 'fork'),
    hasIssues: optionalBoolean(repository, 'has_issues'),
    createdAt: optionalTime(repository, 'created_at'),
    pushedAt: optionalTime(repository, 'pushed_at'),
    gitUrl: optionalString(repository, 'clone_url'),
  };
  if (Object.hasOwn(repository, 'description'))
    metadata.description = optionalString(repository, 'description') ?? null;
  if (Object.hasOwn(repository, 'homepage'))
    metadata.homepage = optionalString(repository, 'homepage') || null;
  if (Object.hasOwn(repository, 'language'))
    metadata.primaryLanguage = optionalString(repository, 'language', keyTextMaxLength) ?? null;
  if (Array.isArray(repository['topics']))
    metadata.topics = (repository['topics'] as unknown[])
      .filter((topic): topic is string => typeof topic === 'string')
      .map(toStorableText);
  if (Object.hasOwn(repository, 'license')) {
    const spdx = optionalString(repository, 'license.spdx_id');
    metadata.license = spdx && spdx !== 'NOASSERTION' ? spdx : spdx === 'NOASSERTION' ? 'NOASSERTION' : null;
  }
  for (const key of Object.keys(metadata) as Array<keyof RepositoryMetadata>)
    if (metadata[key] === undefined) delete metadata[key];
  return metadata;
}

/** Who opened an issue or pull request, as the payload's `user` says. */
function authorDetails(item: WebhookObject): ConversationDetails {
  const login = optionalString(item, 'user.login');
  return {
    githubId: optionalInteger(item, 'id', jsonInt8),
    authorId: optionalInteger(item, 'user.id', jsonInt8),
    authorIsBot: isBot({ login, type: optionalString(item, 'user.type') }),
    authorAssociation: optionalString(item, 'author_association'),
    updatedAt: optionalTime(item, 'updated_at'),
  };
}

/**
 * A response in the CHAOSS sense: by a person other than the author who is not a bot. `undefined` when
 * the actor is the author, a bot or unknown.
 */
function responseBy(
  item: WebhookObject,
  actor: WebhookObject | undefined,
  at: string | undefined,
): ConversationDetails['response'] {
  if (actor === undefined || at === undefined) return undefined;
  const login = optionalString(actor, 'login');
  if (!login || login === optionalString(item, 'user.login')) return undefined;
  if (isBot({ login, type: optionalString(actor, 'type') })) return undefined;
  return { at, login };
}

/** `owner.login` + `name`, with `full_name` as the fallback older GHES payloads may need. */
function repositoryOf(body: WebhookObject): RepositoryReference {
  const { owner, name } = ownerAndName(requiredObject(body, 'repository'), 'repository');
  return { host: 'github.com', owner, name };
}

function ownerAndName(repository: WebhookObject, path: string): { owner: string; name: string } {
  const [fullOwner, fullName] = (optionalString(repository, 'full_name') ?? '').split('/');
  const owner = optionalString(repository, 'owner.login') || fullOwner;
  const name = optionalString(repository, 'name') || fullName;
  return {
    owner: repositorySegment(owner, `${path}.owner.login`),
    name: repositorySegment(name, `${path}.name`),
  };
}

/**
 * The pull request in the payload is a snapshot at `updated_at`, so every action (labeled, synchronize…)
 * carries its state; the upsert lets only a newer snapshot move it. GitHub reports a merge as "closed"
 * with `merged_at`.
 */
function pullRequestChanges(body: WebhookObject, receivedAt: string): FactChange[] {
  const pullRequest = requiredObject(body, 'pull_request');
  const mergedAt = optionalTime(pullRequest, 'merged_at');
  const closedAt = optionalTime(pullRequest, 'closed_at');
  const state: PullRequestState = mergedAt
    ? 'merged'
    : optionalString(pullRequest, 'state') === 'closed'
      ? 'closed'
      : 'open';
  const closedBySomeoneElse =
    requiredString(body, 'action') === 'closed'
      ? responseBy(pullRequest, optionalObject(body, 'sender'), closedAt)
      : undefined;
  return [
    {
      kind: 'pull_request',
      fact: {
        ...pullRequestIdentity(pullRequest),
        ...authorDetails(pullRequest),
        isDraft: optionalBoolean(pullRequest, 'draft'),
        mergedByLogin: optionalString(pullRequest, 'merged_by.login'),
        mergedAt,
        closedAt: state === 'open' ? undefined : closedAt,
        state,
        eventAt: optionalTime(pullRequest, 'updated_at') ?? receivedAt,
        response: closedBySomeoneElse,
      },
    },
  ];
}

/** A submitted review answers the pull request (unless the author or a bot wrote it) and may approve it. */
function pullRequestReviewChanges(body: WebhookObject, receivedAt: string): FactChange[] {
  const [change] = pullRequestChanges(body, receivedAt);
  if (change?.kind !== 'pull_request') return [];
  const pullRequest = requiredObject(body, 'pull_request');
  const review = requiredObject(body, 'review');
  if (requiredString(body, 'action') !== 'submitted') return [change];
  const response = responseBy(
    pullRequest,
    optionalObject(review, 'user'),
    optionalTime(review, 'submitted_at'),
  );
  const approvedByOther =
    optionalString(review, 'state')?.toLowerCase() === 'approved' &&
    optionalString(review, 'user.login') !== optionalString(pullRequest, 'user.login');
  return [
    { kind: 'pull_request', fact: { ...change.fact, response, approved: approvedByOther || undefined } },
  ];
}

function pullRequestIdentity(pullRequest: WebhookObject) {
  return {
    number: requiredInteger(pullRequest, 'number', int4),
    title: optionalString(pullRequest, 'title'),
    authorLogin: optionalString(pullRequest, 'user.login'),
    createdAt: optionalTime(pullRequest, 'created_at'),
  };
}

/**
 * Issues, from their snapshot like pull requests. Pull requests arrive here too (GitHub treats them as
 * issues) and are skipped: `pull_request` delivers them. A deleted issue has no fact to record yet.
 */
function issueChanges(body: WebhookObject, receivedAt: string): FactChange[] {
  const issue = requiredObject(body, 'issue');
  if (optionalObject(issue, 'pull_request') !== undefined) return [];
  const snapshot = issueSnapshot(issue, receivedAt);
  if (snapshot.kind === 'issue' && requiredString(body, 'action') === 'closed')
    snapshot.fact.response = responseBy(
      issue,
      optionalObject(body, 'sender'),
      optionalTime(issue, 'closed_at'),
    );
  return [snapshot];
}

function issueSnapshot(issue: WebhookObject, receivedAt: string): FactChange {
  const state = optionalString(issue, 'state') === 'closed' ? 'closed' : 'open';
  return {
    kind: 'issue',
    fact: {
      ...issueIdentity(issue),
      ...authorDetails(issue),
      comments: optionalInteger(issue, 'comments', int4),
      closedAt: state === 'closed' ? optionalTime(issue, 'closed_at') : undefined,
      state,
      eventAt: optionalTime(issue, 'updated_at') ?? receivedAt,
    },
  };
}

/**
 * Comments have no fact of their own yet: the issue or pull request commented on is upserted from the
 * snapshot in the payload. A pull request seen as an issue says "closed" for a merge too, so its state
 * is taken only when it is open or GitHub included `merged_at`; otherwise it is left as it is.
 */
function issueCommentChanges(body: WebhookObject, receivedAt: string): FactChange[] {
  const issue = requiredObject(body, 'issue');
  const comment = requiredObject(body, 'comment');
  const response =
    requiredString(body, 'action') === 'created'
      ? responseBy(issue, optionalObject(comment, 'user'), optionalTime(comment, 'created_at'))
      : undefined;
  const pullRequest = optionalObject(issue, 'pull_request');
  if (pullRequest === undefined) {
    const snapshot = issueSnapshot(issue, receivedAt);
    if (snapshot.kind === 'issue') snapshot.fact.response = response;
    return [snapshot];
  }
  const open = optionalString(issue, 'state') !== 'closed';
  const mergedAt = optionalTime(pullRequest, 'merged_at');
  const closedAt = optionalTime(issue, 'closed_at');
  const state: PullRequestState | undefined = open
    ? 'open'
    : mergedAt
      ? 'merged'
      : Object.hasOwn(pullRequest, 'merged_at')
        ? 'closed'
        : undefined;
  return [
    {
      kind: 'pull_request',
      fact: {
        ...issueIdentity(issue),
        // The issue view of a pull request has the pull request's author, but its id is the issue's.
        ...authorDetails(issue),
        githubId: undefined,
        mergedAt,
        closedAt: state === 'merged' || state === 'closed' ? closedAt : undefined,
        state,
        eventAt: optionalTime(issue, 'updated_at') ?? receivedAt,
        response,
      },
    },
  ];
}

function issueIdentity(issue: WebhookObject) {
  return {
    number: requiredInteger(issue, 'number', int4),
    title: optionalString(issue, 'title'),
    authorLogin: optionalString(issue, 'user.login'),
    createdAt: optionalTime(issue, 'created_at'),
  };
}

const releaseRemovals = new Set(['deleted', 'unpublished']);

/**
 * A release counts from `published_at`; a draft is not a release yet. Deleting or unpublishing marks it
 * deleted at the delivery's time, which a later publish of the same tag undoes.
 */
function releaseChanges(body: WebhookObject, receivedAt: string): FactChange[] {
  const release = requiredObject(body, 'release');
  const deleted = releaseRemovals.has(requiredString(body, 'action'));
  if (!deleted && release['draft'] === true) return [];
  const publishedAt =
    optionalTime(release, 'published_at') ?? optionalTime(release, 'created_at') ?? receivedAt;
  return [
    {
      kind: 'release',
      fact: {
        tag: requiredString(release, 'tag_name', keyTextMaxLength),
        name: optionalString(release, 'name'),
        publishedAt,
        deleted,
        eventAt: receivedAt,
      },
    },
  ];
}

/** `starred_at` is null on an unstar, so the delivery's time stands in for it. */
function starChanges(body: WebhookObject, receivedAt: string): FactChange[] {
  const action = requiredString(body, 'action');
  if (action !== 'created' && action !== 'deleted') return [];
  return [
    {
      kind: 'star',
      fact: {
        actorLogin: requiredString(body, 'sender.login', keyTextMaxLength),
        starred: action === 'created',
        eventAt: optionalTime(body, 'starred_at') ?? receivedAt,
      },
    },
  ];
}

/** GitHub's `watch` event is starring (watching proper has no webhook): "started" is a new star. */
function watchChanges(body: WebhookObject, receivedAt: string): FactChange[] {
  if (requiredString(body, 'action') !== 'started') return [];
  return [
    {
      kind: 'star',
      fact: {
        actorLogin: requiredString(body, 'sender.login', keyTextMaxLength),
        starred: true,
        eventAt: receivedAt,
      },
    },
  ];
}

function forkChanges(body: WebhookObject, receivedAt: string): FactChange[] {
  const forkee = requiredObject(body, 'forkee');
  const { owner, name } = ownerAndName(forkee, 'forkee');
  return [
    {
      kind: 'fork',
      fact: {
        forkOwner: owner,
        forkName: name,
        actorLogin: optionalString(body, 'sender.login'),
        forkedAt: optionalTime(forkee, 'created_at') ?? receivedAt,
      },
    },
  ];
}

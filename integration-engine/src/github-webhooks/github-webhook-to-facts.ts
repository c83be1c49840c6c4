import type { RepositoryReference } from '@repopulse/core';
import type { PullRequestState } from '../facts/fact-types.js';
import type { FactChange } from '../facts/apply-fact-change.js';
import type { GithubWebhookMessage } from './github-webhook-message.js';
import { pushToCommits } from './push-to-commits.js';
import {
  optionalObject,
  optionalString,
  requiredInteger,
  requiredObject,
  requiredString,
  violation,
  type WebhookObject,
} from './webhook-body-fields.js';

/** What one delivery means: the repository it is about and the fact changes it carries (maybe none). */
export interface WebhookFacts {
  repository: RepositoryReference;
  changes: FactChange[];
}

type EventMapping = (body: WebhookObject, receivedAt: string) => FactChange[];

const repositoryOnly: EventMapping = () => [];

// Bots (`[bot]` logins, bot e-mails) are stored like anyone else: there is no column to mark them yet.
const mappings: Readonly<Record<string, EventMapping>> = {
  push: pushToCommits,
  pull_request: pullRequestChanges,
  // Reviews have no fact of their own yet; their pull request snapshot still updates the pull request.
  pull_request_review: pullRequestChanges,
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
  return { repository: repositoryOf(message.body), changes: mapping(message.body, message.receivedAt) };
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
  if (!owner) throw violation(`${path}.owner.login`, 'is required');
  if (!name) throw violation(`${path}.name`, 'is required');
  return { owner, name };
}

/**
 * The pull request in the payload is a snapshot at `updated_at`, so every action (labeled, synchronize…)
 * carries its state; the upsert lets only a newer snapshot move it. GitHub reports a merge as "closed"
 * with `merged_at`.
 */
function pullRequestChanges(body: WebhookObject, receivedAt: string): FactChange[] {
  const pullRequest = requiredObject(body, 'pull_request');
  const mergedAt = optionalString(pullRequest, 'merged_at');
  const closedAt = optionalString(pullRequest, 'closed_at');
  const state: PullRequestState = mergedAt
    ? 'merged'
    : optionalString(pullRequest, 'state') === 'closed'
      ? 'closed'
      : 'open';
  return [
    {
      kind: 'pull_request',
      fact: {
        ...pullRequestIdentity(pullRequest),
        mergedAt,
        closedAt: state === 'open' ? undefined : closedAt,
        state,
        eventAt: optionalString(pullRequest, 'updated_at') ?? receivedAt,
      },
    },
  ];
}

function pullRequestIdentity(pullRequest: WebhookObject) {
  return {
    number: requiredInteger(pullRequest, 'number'),
    title: optionalString(pullRequest, 'title'),
    authorLogin: optionalString(pullRequest, 'user.login'),
    createdAt: optionalString(pullRequest, 'created_at'),
  };
}

/**
 * Issues, from their snapshot like pull requests. Pull requests arrive here too (GitHub treats them as
 * issues) and are skipped: `pull_request` delivers them. A deleted issue has no fact to record yet.
 */
function issueChanges(body: WebhookObject, receivedAt: string): FactChange[] {
  const issue = requiredObject(body, 'issue');
  if (optionalObject(issue, 'pull_request') !== undefined) return [];
  return [issueSnapshot(issue, receivedAt)];
}

function issueSnapshot(issue: WebhookObject, receivedAt: string): FactChange {
  const state = optionalString(issue, 'state') === 'closed' ? 'closed' : 'open';
  return {
    kind: 'issue',
    fact: {
      ...issueIdentity(issue),
      closedAt: state === 'closed' ? optionalString(issue, 'closed_at') : undefined,
      state,
      eventAt: optionalString(issue, 'updated_at') ?? receivedAt,
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
  const pullRequest = optionalObject(issue, 'pull_request');
  if (pullRequest === undefined) return [issueSnapshot(issue, receivedAt)];
  const open = optionalString(issue, 'state') !== 'closed';
  const mergedAt = optionalString(pullRequest, 'merged_at');
  const closedAt = optionalString(issue, 'closed_at');
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
        mergedAt,
        closedAt: state === 'merged' || state === 'closed' ? closedAt : undefined,
        state,
        eventAt: optionalString(issue, 'updated_at') ?? receivedAt,
      },
    },
  ];
}

function issueIdentity(issue: WebhookObject) {
  return {
    number: requiredInteger(issue, 'number'),
    title: optionalString(issue, 'title'),
    authorLogin: optionalString(issue, 'user.login'),
    createdAt: optionalString(issue, 'created_at'),
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
    optionalString(release, 'published_at') ?? optionalString(release, 'created_at') ?? receivedAt;
  return [
    {
      kind: 'release',
      fact: {
        tag: requiredString(release, 'tag_name'),
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
        actorLogin: requiredString(body, 'sender.login'),
        starred: action === 'created',
        eventAt: optionalString(body, 'starred_at') ?? receivedAt,
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
      fact: { actorLogin: requiredString(body, 'sender.login'), starred: true, eventAt: receivedAt },
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
        forkedAt: optionalString(forkee, 'created_at') ?? receivedAt,
      },
    },
  ];
}

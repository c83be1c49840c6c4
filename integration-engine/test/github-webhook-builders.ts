import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { createEnvelope, type Envelope } from '@repopulse/core';
import type { GithubWebhookMessage } from '../src/github-webhooks/github-webhook-message.js';

type Body = Record<string, unknown>;

/** One real GitHub.com example payload from `@octokit/webhooks-examples`, labelled for assertion messages. */
export interface WebhookExample {
  event: string;
  label: string;
  body: Body;
}

/** Every api.github.com example of the given event types. */
export function githubComExamples(events: readonly string[]): WebhookExample[] {
  const require = createRequire(import.meta.url);
  const definitions = require('@octokit/webhooks-examples/api.github.com/index.json') as Array<{
    name: string;
    examples: Body[];
  }>;
  return definitions
    .filter((definition) => events.includes(definition.name))
    .flatMap((definition) =>
      definition.examples.map((body, index) => ({
        event: definition.name,
        label: `api.github.com ${definition.name} #${index} (${String(body['action'] ?? 'no action')})`,
        body,
      })),
    );
}

/**
 * A message as the gateway publishes it. The envelope id is the delivery id unless `messageId` says
 * otherwise (the same body arriving under another id).
 */
export function webhookEnvelope(
  event: string,
  body: Body,
  options: { deliveryId?: string; messageId?: string; receivedAt?: string } = {},
): Envelope<GithubWebhookMessage> {
  const deliveryId = options.deliveryId ?? randomUUID();
  const receivedAt = options.receivedAt ?? new Date().toISOString();
  return createEnvelope(
    'ingest.github-webhook',
    { event, deliveryId, receivedAt, body },
    { id: options.messageId ?? deliveryId },
  );
}

export const widgetsRepository = {
  id: 1296269,
  name: 'widgets',
  full_name: 'acme/widgets',
  owner: { login: 'acme', type: 'Organization' },
  default_branch: 'main',
};

export const sender = (login: string) => ({ login, type: 'User' });

export interface PushedCommit {
  id: string;
  timestamp: string;
  message?: string;
  author?: { name: string; email: string; username?: string };
  distinct?: boolean;
}

export function pushBody(commits: PushedCommit[], ref = 'refs/heads/main'): Body {
  return {
    ref,
    repository: widgetsRepository,
    sender: sender('ada'),
    commits: commits.map((commit) => ({
      distinct: true,
      message: 'Change things',
      author: { name: 'Ada', email: 'ada@example.org', username: 'ada' },
      ...commit,
    })),
  };
}

export interface PullRequestSnapshot {
  number: number;
  state: 'open' | 'closed';
  created_at: string;
  updated_at: string;
  closed_at?: string | null;
  merged_at?: string | null;
}

export function pullRequestBody(action: string, pullRequest: PullRequestSnapshot): Body {
  return {
    action,
    number: pullRequest.number,
    pull_request: {
      title: `Pull request ${pullRequest.number}`,
      user: { login: 'ada' },
      closed_at: null,
      merged_at: null,
      ...pullRequest,
    },
    repository: widgetsRepository,
    sender: sender('ada'),
  };
}

export interface IssueSnapshot {
  number: number;
  state: 'open' | 'closed';
  created_at: string;
  updated_at: string;
  closed_at?: string | null;
  pull_request?: object;
}

export function issueBody(action: string, issue: IssueSnapshot): Body {
  return {
    action,
    issue: { title: `Issue ${issue.number}`, user: { login: 'grace' }, closed_at: null, ...issue },
    repository: widgetsRepository,
    sender: sender('grace'),
  };
}

export function starBody(action: 'created' | 'deleted', login: string, starredAt: string | null): Body {
  return { action, starred_at: starredAt, repository: widgetsRepository, sender: sender(login) };
}

export function watchBody(login: string): Body {
  return { action: 'started', repository: widgetsRepository, sender: sender(login) };
}

export function forkBody(owner: string, createdAt: string): Body {
  return {
    forkee: {
      name: 'widgets',
      full_name: `${owner}/widgets`,
      owner: { login: owner },
      created_at: createdAt,
    },
    repository: widgetsRepository,
    sender: sender(owner),
  };
}

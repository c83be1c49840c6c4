import {
  instantKeyword,
  instantRule,
  int4,
  jsonInt8,
  repositorySegmentPattern,
  shaPattern,
} from '@repopulse/core';
import type { ProcessedWebhookEvent } from './github-webhook-requirements.js';
import type { JsonSchema } from './published-webhook-schema.js';

/**
 * Dotted path into a webhook body (`commits[]` for each item of an array) → the bounds of the value the engine
 * stores from there, on top of GitHub's schema: GitHub's schema says `integer` or `date-time`, PostgreSQL
 * has an `integer` column or a time it can read, and a delivery the gateway answered 202 must not fail in the
 * engine. These are the engine's own reads (`integration-engine/src/github-webhooks/webhook-body-fields.ts`
 * checks the same rules on its side): integers within their columns, times within core's `x-instant`,
 * repository owners and names as every forge spells them, keys of an index short enough for it, a commit's
 * id a sha; and every other field it reads of the type it reads it as (GitHub's published schema leaves
 * some out, `merged_by` of an older pull request review). A value that is absent or null is left alone, as
 * GitHub's schema is read (`tolerant-webhook-schema.ts`).
 *
 * Text needs no bound but its type: the engine stores U+0000 in free text (a commit message) as U+FFFD
 * rather than refuse a push for one character.
 */
const time = { type: ['string', 'null'], [instantKeyword]: instantRule };
/** Push payloads give the repository's times as seconds since the epoch. */
const timeOrSeconds = { ...time, type: ['string', 'integer', 'null'] };
const id = { type: ['integer', 'null'], ...jsonInt8 };
const count = { type: ['integer', 'null'], ...int4 };
const text = { type: ['string', 'null'] };
const flag = { type: ['boolean', 'null'] };
const segment = { type: ['string', 'null'], pattern: repositorySegmentPattern };
const fullName = {
  type: ['string', 'null'],
  pattern: `${repositorySegmentPattern.slice(0, -1)}/${repositorySegmentPattern.slice(1)}`,
};
/** `stars` and `releases` have a login and a tag in their primary keys, `repositories` an index on the language. */
const key = { type: ['string', 'null'], maxLength: 255 };

/** The repository every delivery carries (its metadata) and the sender (a star's, a first response's). */
const repository = {
  'repository.id': id,
  'repository.node_id': text,
  'repository.owner.login': segment,
  'repository.owner.type': text,
  'repository.name': segment,
  'repository.full_name': fullName,
  'repository.description': text,
  'repository.homepage': text,
  'repository.stargazers_count': count,
  'repository.forks_count': count,
  'repository.open_issues_count': count,
  'repository.language': key,
  'repository.license.spdx_id': text,
  'repository.default_branch': text,
  'repository.master_branch': text,
  'repository.archived': flag,
  'repository.fork': flag,
  'repository.has_issues': flag,
  'repository.created_at': timeOrSeconds,
  'repository.pushed_at': timeOrSeconds,
  'repository.clone_url': text,
  'sender.login': key,
  'sender.type': text,
  action: text,
} as const;

/** An issue or a pull request, at `root`. */
function conversation(root: string) {
  return {
    [`${root}.number`]: count,
    [`${root}.id`]: id,
    [`${root}.title`]: text,
    [`${root}.state`]: text,
    [`${root}.user.login`]: text,
    [`${root}.user.id`]: id,
    [`${root}.user.type`]: text,
    [`${root}.author_association`]: text,
    [`${root}.created_at`]: time,
    [`${root}.updated_at`]: time,
    [`${root}.closed_at`]: time,
  };
}

const pullRequest = {
  ...conversation('pull_request'),
  'pull_request.draft': flag,
  'pull_request.merged_at': time,
  'pull_request.merged_by.login': text,
};

/** An issue, which is a pull request's issue view when it has `pull_request`. */
const issue = { ...conversation('issue'), 'issue.comments': count, 'issue.pull_request.merged_at': time };

export type WebhookBounds = Readonly<Record<string, JsonSchema>>;

export const webhookBounds: Readonly<Record<ProcessedWebhookEvent, WebhookBounds>> = {
  push: {
    ...repository,
    ref: text,
    // Each commit becomes a fact keyed by its id, dated by its timestamp.
    'commits[]': { type: 'object', required: ['id', 'timestamp'] },
    'commits[].id': { type: 'string', pattern: shaPattern },
    'commits[].timestamp': { ...time, type: 'string' },
    'commits[].message': text,
    'commits[].author.name': text,
    'commits[].author.email': text,
    'commits[].author.username': text,
  },
  pull_request: { ...repository, ...pullRequest },
  pull_request_review: {
    ...repository,
    ...pullRequest,
    'review.state': text,
    'review.user.login': text,
    'review.user.type': text,
    'review.submitted_at': time,
  },
  issues: { ...repository, ...issue },
  issue_comment: {
    ...repository,
    ...issue,
    'comment.user.login': text,
    'comment.user.type': text,
    'comment.created_at': time,
  },
  release: {
    ...repository,
    'release.tag_name': key,
    'release.name': text,
    'release.published_at': time,
    'release.created_at': time,
  },
  star: { ...repository, starred_at: time },
  watch: repository,
  fork: {
    ...repository,
    'forkee.owner.login': segment,
    'forkee.name': segment,
    'forkee.full_name': fullName,
    'forkee.created_at': time,
  },
  create: repository,
  delete: repository,
  repository,
  member: repository,
  public: repository,
};

/**
 * The bounds as one schema: nested `properties` (and `items` for `[]`), each bound where its path ends. A
 * node on the way is an object or an array (or null, read as absent), as the engine walks it.
 */
export function boundsSchema(bounds: WebhookBounds): JsonSchema {
  const root: JsonSchema = { type: 'object' };
  for (const [path, bound] of Object.entries(bounds)) {
    let node = root;
    for (const segment of path.split('.')) {
      const isArray = segment.endsWith('[]');
      const properties = (node.properties ??= {}) as Record<string, JsonSchema>;
      node = properties[isArray ? segment.slice(0, -2) : segment] ??= {};
      node.type ??= [isArray ? 'array' : 'object', 'null'];
      if (isArray) node = (node.items ??= { type: 'object' }) as JsonSchema;
    }
    Object.assign(node, bound);
  }
  return root;
}

import type { ConversationDetails, PullRequestState } from '../facts/fact-types.js';
import type { FactChange } from '../facts/apply-fact-change.js';
import { isBot } from '../people/bots.js';
import type { ActorNode, ClosedEventNode, CommentNode, ReviewNode } from './conversation-fields-query.js';
import type { IssueNode } from './issues-query.js';
import type { PullRequestNode } from './pull-requests-query.js';
import type { ReleaseNode } from './releases-query.js';

/**
 * A login as REST and webhooks spell it. GraphQL shows a Bot's login without the `[bot]` suffix
 * (`dependabot`); REST says `dependabot[bot]`. Facts keep REST's spelling so that a pull request seen by
 * a webhook and by a crawl has one author.
 */
export function actorLogin(actor: ActorNode): string {
  return actor.__typename === 'Bot' && !actor.login.endsWith('[bot]') ? `${actor.login}[bot]` : actor.login;
}

export function actorIsBot(actor: ActorNode): boolean {
  return isBot({ login: actorLogin(actor), type: actor.__typename });
}

/** A place where a response may be: a comment, a submitted review, a close. */
export interface ResponseCandidate {
  at: string;
  actor: ActorNode | null;
}

export function commentCandidates(nodes: ReadonlyArray<CommentNode | null> | null): ResponseCandidate[] {
  return (nodes ?? []).flatMap((node) => (node ? [{ at: node.createdAt, actor: node.author }] : []));
}

export function reviewCandidates(nodes: ReadonlyArray<ReviewNode | null> | null): ResponseCandidate[] {
  return (nodes ?? []).flatMap((node) =>
    node?.submittedAt && node.state !== 'PENDING' ? [{ at: node.submittedAt, actor: node.author }] : [],
  );
}

export function closeCandidates(nodes: ReadonlyArray<ClosedEventNode | null> | null): ResponseCandidate[] {
  return (nodes ?? []).flatMap((node) =>
    node?.createdAt && node.actor !== undefined ? [{ at: node.createdAt, actor: node.actor }] : [],
  );
}

/**
 * The earliest candidate by a person other than the author who is not a bot (docs/METRICS.md, CHAOSS time
 * to first response). A deleted account (null actor) cannot be told apart from the author, so it is not
 * counted; when the author's account is deleted, anyone else known and human counts.
 */
export function firstResponse(
  author: ActorNode | null,
  candidates: readonly ResponseCandidate[],
): ConversationDetails['response'] {
  const authorLogin = author ? actorLogin(author).toLowerCase() : undefined;
  let earliest: { at: string; login: string } | undefined;
  for (const { at, actor } of candidates) {
    if (!actor || actorIsBot(actor)) continue;
    const login = actorLogin(actor);
    if (login.toLowerCase() === authorLogin) continue;
    if (earliest === undefined || Date.parse(at) < Date.parse(earliest.at)) earliest = { at, login };
  }
  return earliest;
}

function authorDetails(node: {
  databaseId: number | null;
  author: ActorNode | null;
  authorAssociation: string;
  updatedAt: string;
}) {
  return {
    ...(node.databaseId === null ? {} : { githubId: node.databaseId }),
    ...(node.author?.databaseId ? { authorId: node.author.databaseId } : {}),
    ...(node.author ? { authorLogin: actorLogin(node.author) } : {}),
    authorIsBot: node.author ? actorIsBot(node.author) : false,
    authorAssociation: node.authorAssociation,
    updatedAt: node.updatedAt,
  };
}

/** The candidates on a pull request's first pages, the merge by someone else among them. */
export function pullRequestCandidates(node: PullRequestNode): ResponseCandidate[] {
  const merge = node.mergedAt && node.mergedBy ? [{ at: node.mergedAt, actor: node.mergedBy }] : [];
  return [
    ...commentCandidates(node.comments.nodes),
    ...reviewCandidates(node.reviews?.nodes ?? null),
    ...closeCandidates(node.closes.nodes),
    ...merge,
  ];
}

/**
 * A pull request as of its `updatedAt` (the snapshot's time, so an older snapshot cannot undo a newer
 * webhook). `response` is left to the caller when it must look past the first pages.
 */
export function pullRequestChange(node: PullRequestNode): FactChange {
  const state: PullRequestState =
    node.state === 'MERGED' ? 'merged' : node.state === 'CLOSED' ? 'closed' : 'open';
  const authorLogin = node.author ? actorLogin(node.author).toLowerCase() : undefined;
  const approved = (node.approvals?.nodes ?? []).some(
    (review) => review?.author && actorLogin(review.author).toLowerCase() !== authorLogin,
  );
  const response = firstResponse(node.author, pullRequestCandidates(node));
  return {
    kind: 'pull_request',
    fact: {
      number: node.number,
      title: node.title,
      ...authorDetails(node),
      createdAt: node.createdAt,
      state,
      ...(node.mergedAt ? { mergedAt: node.mergedAt } : {}),
      ...(state !== 'open' && node.closedAt ? { closedAt: node.closedAt } : {}),
      ...(node.mergedBy ? { mergedByLogin: actorLogin(node.mergedBy) } : {}),
      isDraft: node.isDraft,
      approved,
      ...(response ? { response } : {}),
      eventAt: node.updatedAt,
    },
  };
}

export function issueCandidates(node: IssueNode): ResponseCandidate[] {
  return [...commentCandidates(node.comments.nodes), ...closeCandidates(node.closes.nodes)];
}

/**
 * An issue as of its `updatedAt`. `closedAt` is GitHub's last close, so a reopened and closed again
 * issue counts closed by its last close. GitHub's `stateReason` (completed, not planned, duplicate) has
 * no column yet: a close is a close for the metrics.
 */
export function issueChange(node: IssueNode): FactChange {
  const state = node.state === 'CLOSED' ? 'closed' : 'open';
  const response = firstResponse(node.author, issueCandidates(node));
  return {
    kind: 'issue',
    fact: {
      number: node.number,
      title: node.title,
      ...authorDetails(node),
      createdAt: node.createdAt,
      state,
      ...(state === 'closed' && node.closedAt ? { closedAt: node.closedAt } : {}),
      comments: node.comments.totalCount,
      ...(response ? { response } : {}),
      eventAt: node.updatedAt,
    },
  };
}

/**
 * A published GitHub release; `undefined` for a draft (not a release yet). `observedAt` is when the
 * crawl saw it exist, which undoes an earlier deletion of the same tag but not a later one.
 */
export function releaseChange(node: ReleaseNode, observedAt: string): FactChange | undefined {
  if (node.isDraft || !node.publishedAt) return undefined;
  return {
    kind: 'release',
    fact: {
      tag: node.tagName,
      ...(node.name ? { name: node.name } : {}),
      publishedAt: node.publishedAt,
      deleted: false,
      eventAt: observedAt,
    },
  };
}

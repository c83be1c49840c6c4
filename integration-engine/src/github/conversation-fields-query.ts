/**
 * What pull requests and issues share in their queries: who acted, and the first page of each place a
 * response can be (comments, reviews, closes), oldest first. GitHub lists comments, reviews and timeline
 * items in chronological order, so the first page holds the earliest candidates; only an item whose first
 * page has no response at all needs its later pages (see `conversation-more-query.ts`).
 *
 * A User's profile company comes along with every actor (docs/METRICS.md: a person's organisation is their
 * GitHub company where known): it is a plain field, so it costs no rate-limit points, and it spares asking
 * for each person's profile on its own. Bots, organisations and mannequins have no company field.
 */
export const actorFragment = `
fragment ActorFields on Actor {
  __typename
  login
  ... on User { databaseId company }
  ... on Bot { databaseId }
}`;

/** Comments, reviews and close events read with each pull request or issue. */
export const responsesPageSize = 20;

/** An author or actor as `ActorFields` selects it; null for a deleted account (GitHub's "ghost"). */
export interface ActorNode {
  __typename: string;
  login: string;
  databaseId?: number | null;
  /** A User's profile company as written (`@acme`, `Acme, Inc.`); null when empty; absent for others. */
  company?: string | null;
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<T> {
  pageInfo: PageInfo;
  nodes: Array<T | null> | null;
}

export interface CommentNode {
  createdAt: string;
  author: ActorNode | null;
}

export interface ReviewNode {
  state: string;
  /** Null while the review is pending (visible to its author only): not a response yet. */
  submittedAt: string | null;
  author: ActorNode | null;
}

export interface ClosedEventNode {
  createdAt?: string;
  actor?: ActorNode | null;
}

export const commentsSelection = `comments(first: ${responsesPageSize}) {
  totalCount
  pageInfo { hasNextPage endCursor }
  nodes { createdAt author { ...ActorFields } }
}`;

export const closedEventsSelection = `closes: timelineItems(first: ${responsesPageSize}, itemTypes: [CLOSED_EVENT]) {
  pageInfo { hasNextPage endCursor }
  nodes { ... on ClosedEvent { createdAt actor { ...ActorFields } } }
}`;

export const reviewsSelection = `reviews(first: ${responsesPageSize}) {
  pageInfo { hasNextPage endCursor }
  nodes { state submittedAt author { ...ActorFields } }
}`;

/** Approvals on their own (a filtered connection), so one behind many other reviews is not missed. */
export const approvalsSelection = `approvals: reviews(first: 5, states: [APPROVED]) {
  nodes { author { ...ActorFields } }
}`;

import type { ConversationDetails } from '../facts/fact-types.js';
import type {
  ActorNode,
  ClosedEventNode,
  CommentNode,
  PageInfo,
  ReviewNode,
} from './conversation-fields-query.js';
import {
  moreResponsesQuery,
  type MoreResponsesAnswer,
  type ResponsePlace,
  type ResponsePlaceNode,
} from './conversation-more-query.js';
import { connectionPages } from './crawl-github-pages.js';
import type { GithubClient } from './github-client.js';
import {
  closeCandidates,
  commentCandidates,
  firstResponse,
  reviewCandidates,
  type ResponseCandidate,
} from './github-graphql-to-facts.js';
import type { IssueNode } from './issues-query.js';
import type { PullRequestNode } from './pull-requests-query.js';

/** The first page of one place, as the pull request or issue query read it. */
export interface ResponsePlacePage {
  place: ResponsePlace;
  candidates: ResponseCandidate[];
  pageInfo: PageInfo;
}

export function pullRequestPlaces(node: PullRequestNode): ResponsePlacePage[] {
  return [
    {
      place: 'comments',
      candidates: commentCandidates(node.comments.nodes),
      pageInfo: node.comments.pageInfo,
    },
    ...(node.reviews
      ? [
          {
            place: 'reviews' as const,
            candidates: reviewCandidates(node.reviews.nodes),
            pageInfo: node.reviews.pageInfo,
          },
        ]
      : []),
    { place: 'closes', candidates: closeCandidates(node.closes.nodes), pageInfo: node.closes.pageInfo },
  ];
}

export function issuePlaces(node: IssueNode): ResponsePlacePage[] {
  return [
    {
      place: 'comments',
      candidates: commentCandidates(node.comments.nodes),
      pageInfo: node.comments.pageInfo,
    },
    { place: 'closes', candidates: closeCandidates(node.closes.nodes), pageInfo: node.closes.pageInfo },
  ];
}

/** Later pages read per place at most: a thousand items without a human answer is an answer of sorts. */
const maxLaterPages = 10;

/**
 * The first response, looking past the first pages where it could still be earlier than what they
 * showed. Each place is chronological, so a place whose first page holds a response needs nothing more,
 * and a place whose first page ends after the best response so far cannot hold an earlier one. Most
 * items need no request at all.
 */
export async function firstResponseBeyondFirstPages(options: {
  client: GithubClient;
  nodeId: string;
  author: ActorNode | null;
  places: readonly ResponsePlacePage[];
  found: ConversationDetails['response'];
  onCost: (cost: number) => void;
  /** Everyone a later page names (commenters, reviewers, closers), for `github_people`. */
  onActors?: (actors: Array<ActorNode | null | undefined>) => Promise<void>;
  signal?: AbortSignal;
}): Promise<ConversationDetails['response']> {
  let best = options.found;
  for (const { place, candidates, pageInfo } of options.places) {
    if (!pageInfo.hasNextPage || !pageInfo.endCursor) continue;
    if (firstResponse(options.author, candidates)) continue;
    const lastSeen = candidates.at(-1)?.at;
    if (best && lastSeen && Date.parse(lastSeen) >= Date.parse(best.at)) continue;
    const later = await searchPlace({ ...options, place, after: pageInfo.endCursor, before: best?.at });
    if (later && (!best || Date.parse(later.at) < Date.parse(best.at))) best = later;
  }
  return best;
}

async function searchPlace(options: {
  client: GithubClient;
  nodeId: string;
  author: ActorNode | null;
  place: ResponsePlace;
  after: string;
  before: string | undefined;
  onCost: (cost: number) => void;
  onActors?: (actors: Array<ActorNode | null | undefined>) => Promise<void>;
  signal?: AbortSignal;
}): Promise<ConversationDetails['response']> {
  const query = moreResponsesQuery(options.place);
  const pages = connectionPages<ResponsePlaceNode>({
    startAfter: options.after,
    signal: options.signal,
    onCost: options.onCost,
    fetchPage: async (first, after) => {
      const { data, cost } = await options.client.graphql<MoreResponsesAnswer>(
        query,
        { id: options.nodeId, first, after },
        { signal: options.signal },
      );
      const connection = data.node?.pullRequestPage ?? data.node?.issuePage;
      return connection ? { ...connection, cost } : { nodes: [], pageInfo: noMorePages, cost };
    },
  });
  let read = 0;
  for await (const nodes of pages) {
    await options.onActors?.(actorsOf(options.place, nodes));
    const candidates = candidatesOf(options.place, nodes);
    const response = firstResponse(options.author, candidates);
    if (response) return response;
    const lastSeen = candidates.at(-1)?.at;
    if (options.before && lastSeen && Date.parse(lastSeen) >= Date.parse(options.before)) return undefined;
    if (++read >= maxLaterPages) return undefined;
  }
  return undefined;
}

const noMorePages = { hasNextPage: false, endCursor: null };

function actorsOf(
  place: ResponsePlace,
  nodes: ReadonlyArray<unknown> | null,
): Array<ActorNode | null | undefined> {
  switch (place) {
    case 'comments':
      return ((nodes ?? []) as Array<CommentNode | null>).map((comment) => comment?.author);
    case 'reviews':
      return ((nodes ?? []) as Array<ReviewNode | null>).map((review) => review?.author);
    case 'closes':
      return ((nodes ?? []) as Array<ClosedEventNode | null>).map((close) => close?.actor);
  }
}

function candidatesOf(place: ResponsePlace, nodes: ReadonlyArray<unknown> | null): ResponseCandidate[] {
  switch (place) {
    case 'comments':
      return commentCandidates(nodes as Array<CommentNode | null> | null);
    case 'reviews':
      return reviewCandidates(nodes as Array<ReviewNode | null> | null);
    case 'closes':
      return closeCandidates(nodes as Array<ClosedEventNode | null> | null);
  }
}

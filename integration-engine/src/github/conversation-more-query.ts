import {
  actorFragment,
  type ClosedEventNode,
  type CommentNode,
  type Connection,
  type ReviewNode,
} from './conversation-fields-query.js';
import { rateLimitSelection } from './repository-metadata-query.js';

/** Where a response to an issue or pull request can be. */
export type ResponsePlace = 'comments' | 'reviews' | 'closes';

const placeSelections: Record<ResponsePlace, string> = {
  comments: `comments(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { createdAt author { ...ActorFields } }
    }`,
  reviews: `reviews(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { state submittedAt author { ...ActorFields } }
    }`,
  closes: `timelineItems(first: $first, after: $after, itemTypes: [CLOSED_EVENT]) {
      pageInfo { hasNextPage endCursor }
      nodes { ... on ClosedEvent { createdAt actor { ...ActorFields } } }
    }`,
};

/**
 * The next page of one place of one issue or pull request (by node id), for the rare item whose first
 * pages hold no response: twenty comments by its author and bots, say.
 */
export function moreResponsesQuery(place: ResponsePlace): string {
  const selection = placeSelections[place];
  // Pull requests and issues have different connection types, hence one alias for each.
  const onIssue = place === 'reviews' ? '' : `... on Issue { issuePage: ${selection} }`;
  return `
query MoreResponses($id: ID!, $first: Int!, $after: String) {
  ${rateLimitSelection}
  node(id: $id) {
    __typename
    ... on PullRequest { pullRequestPage: ${selection} }
    ${onIssue}
  }
}
${actorFragment}`;
}

export type ResponsePlaceNode = CommentNode | ReviewNode | ClosedEventNode;

export interface MoreResponsesAnswer {
  node: {
    __typename: string;
    pullRequestPage?: Connection<ResponsePlaceNode> | null;
    issuePage?: Connection<ResponsePlaceNode> | null;
  } | null;
}

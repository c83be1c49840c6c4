import {
  actorFragment,
  approvalsSelection,
  closedEventsSelection,
  commentsSelection,
  reviewsSelection,
  type ActorNode,
  type ClosedEventNode,
  type CommentNode,
  type Connection,
  type PageInfo,
  type ReviewNode,
} from './conversation-fields-query.js';
import { rateLimitSelection } from './repository-metadata-query.js';

/**
 * Pull requests, most recently updated first: an incremental crawl reads pages until it meets one
 * updated before the last crawl. GitHub has no `since` filter on pull requests, hence the ordering.
 */
export const pullRequestsQuery = `
query CrawlPullRequests($owner: String!, $name: String!, $first: Int!, $after: String) {
  ${rateLimitSelection}
  repository(owner: $owner, name: $name) {
    pullRequests(first: $first, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        databaseId
        number
        title
        state
        isDraft
        createdAt
        updatedAt
        closedAt
        mergedAt
        authorAssociation
        author { ...ActorFields }
        mergedBy { ...ActorFields }
        ${commentsSelection}
        ${reviewsSelection}
        ${approvalsSelection}
        ${closedEventsSelection}
      }
    }
  }
}
${actorFragment}`;

export interface PullRequestNode {
  id: string;
  databaseId: number | null;
  number: number;
  title: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  isDraft: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  authorAssociation: string;
  author: ActorNode | null;
  mergedBy: ActorNode | null;
  comments: Connection<CommentNode> & { totalCount: number };
  reviews: Connection<ReviewNode> | null;
  approvals: { nodes: Array<{ author: ActorNode | null } | null> | null } | null;
  closes: Connection<ClosedEventNode>;
}

export interface PullRequestsAnswer {
  repository: {
    pullRequests: { pageInfo: PageInfo; nodes: Array<PullRequestNode | null> | null };
  } | null;
}

import {
  actorFragment,
  closedEventsSelection,
  commentsSelection,
  type ActorNode,
  type ClosedEventNode,
  type CommentNode,
  type Connection,
  type PageInfo,
} from './conversation-fields-query.js';
import { rateLimitSelection } from './repository-metadata-query.js';

/**
 * Issues (GitHub's `issues` connection leaves pull requests out) updated at or after `since`, most
 * recently updated first. `filterBy.since` lets GitHub skip the rest; the ordering also lets the crawl
 * stop on its own at the first older one.
 */
export const issuesQuery = `
query CrawlIssues($owner: String!, $name: String!, $first: Int!, $after: String, $since: DateTime) {
  ${rateLimitSelection}
  repository(owner: $owner, name: $name) {
    issues(
      first: $first
      after: $after
      filterBy: { since: $since }
      orderBy: { field: UPDATED_AT, direction: DESC }
    ) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        databaseId
        number
        title
        state
        stateReason
        createdAt
        updatedAt
        closedAt
        authorAssociation
        author { ...ActorFields }
        ${commentsSelection}
        ${closedEventsSelection}
      }
    }
  }
}
${actorFragment}`;

export interface IssueNode {
  id: string;
  databaseId: number | null;
  number: number;
  title: string;
  state: 'OPEN' | 'CLOSED';
  stateReason: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  authorAssociation: string;
  author: ActorNode | null;
  comments: Connection<CommentNode> & { totalCount: number };
  closes: Connection<ClosedEventNode>;
}

export interface IssuesAnswer {
  repository: {
    issues: { pageInfo: PageInfo; nodes: Array<IssueNode | null> | null };
  } | null;
}

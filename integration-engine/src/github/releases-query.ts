import type { PageInfo } from './conversation-fields-query.js';
import { rateLimitSelection } from './repository-metadata-query.js';

/**
 * Releases, newest first by `createdAt`. GitHub's `createdAt` of a release is the date of the tagged
 * commit, not of the publication, so the crawl reads a margin behind its last crawl (see
 * `crawl-github-repository.ts`).
 */
export const releasesQuery = `
query CrawlReleases($owner: String!, $name: String!, $first: Int!, $after: String) {
  ${rateLimitSelection}
  repository(owner: $owner, name: $name) {
    releases(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes { tagName name isDraft createdAt publishedAt }
    }
  }
}`;

export interface ReleaseNode {
  tagName: string;
  name: string | null;
  isDraft: boolean;
  createdAt: string;
  publishedAt: string | null;
}

export interface ReleasesAnswer {
  repository: {
    releases: { pageInfo: PageInfo; nodes: Array<ReleaseNode | null> | null };
  } | null;
}

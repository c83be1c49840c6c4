import type { FactChange } from '../facts/apply-fact-change.js';
import type { GithubPerson } from '../people/upsert-github-people.js';
import { connectionPages, type ConnectionPage } from './crawl-github-pages.js';
import {
  firstResponseBeyondFirstPages,
  issuePlaces,
  pullRequestPlaces,
  type ResponsePlacePage,
} from './crawl-github-later-responses.js';
import { AdaptivePageSize } from './adaptive-page-size.js';
import type { GithubClient } from './github-client.js';
import { GithubNotFoundError } from './github-errors.js';
import type { ActorNode } from './conversation-fields-query.js';
import { githubPeopleOf, issueActors, pullRequestActors } from './conversation-people.js';
import { issueChange, pullRequestChange, releaseChange } from './github-graphql-to-facts.js';
import { issuesQuery, type IssueNode, type IssuesAnswer } from './issues-query.js';
import { pullRequestsQuery, type PullRequestNode, type PullRequestsAnswer } from './pull-requests-query.js';
import { releasesQuery, type ReleaseNode, type ReleasesAnswer } from './releases-query.js';

/** What each part of a crawl needs: the repository as GitHub names it, and where facts and cost go. */
export interface CrawlPartContext {
  client: GithubClient;
  owner: string;
  name: string;
  signal?: AbortSignal;
  spend: (cost: number) => void;
  /** Writes one page's changes (and the activity days they touch). */
  write: (changes: FactChange[]) => Promise<void>;
  /** Stores the GitHub users one page names, with their profile companies (`github_people`). */
  writePeople: (people: GithubPerson[]) => Promise<void>;
}

/**
 * Pull requests and issues carry nested comments, reviews and closes, which make a page heavy: they
 * start at 50 a page and the sizer adapts from there.
 */
const conversationPageSize = () => new AdaptivePageSize(50, 5, 100);

/**
 * A release's `createdAt` is its tagged commit's date, so a release published today for an older commit
 * sorts behind newer ones; the crawl reads this far behind its last crawl to catch those.
 */
const releaseLookbackMs = 30 * 24 * 3_600_000;

/** Pull requests updated since `since` (all when null); returns how many were written. */
export async function crawlPullRequests(context: CrawlPartContext, since: Date | null): Promise<number> {
  const pages = connectionPages<PullRequestNode>({
    sizer: conversationPageSize(),
    signal: context.signal,
    onCost: context.spend,
    fetchPage: async (first, after) => {
      const { data, cost } = await context.client.graphql<PullRequestsAnswer>(
        pullRequestsQuery,
        { owner: context.owner, name: context.name, first, after },
        { signal: context.signal },
      );
      return pageOf(context, data.repository?.pullRequests, cost);
    },
  });
  return writeUpdatedSince(context, pages, since, pullRequestActors, (node) =>
    withLaterResponse(context, pullRequestChange(node), node.id, node.author, pullRequestPlaces(node)),
  );
}

/** Issues updated since `since` (all when null); returns how many were written. */
export async function crawlIssues(context: CrawlPartContext, since: Date | null): Promise<number> {
  const pages = connectionPages<IssueNode>({
    sizer: conversationPageSize(),
    signal: context.signal,
    onCost: context.spend,
    fetchPage: async (first, after) => {
      const { data, cost } = await context.client.graphql<IssuesAnswer>(
        issuesQuery,
        { owner: context.owner, name: context.name, first, after, since: since?.toISOString() ?? null },
        { signal: context.signal },
      );
      return pageOf(context, data.repository?.issues, cost);
    },
  });
  return writeUpdatedSince(context, pages, since, issueActors, (node) =>
    withLaterResponse(context, issueChange(node), node.id, node.author, issuePlaces(node)),
  );
}

/** GitHub releases created since `since` less the lookback (all when null), drafts left out. */
export async function crawlReleases(
  context: CrawlPartContext,
  since: Date | null,
  observedAt: string,
): Promise<number> {
  const stopBefore = since === null ? null : since.getTime() - releaseLookbackMs;
  const pages = connectionPages<ReleaseNode>({
    signal: context.signal,
    onCost: context.spend,
    fetchPage: async (first, after) => {
      const { data, cost } = await context.client.graphql<ReleasesAnswer>(
        releasesQuery,
        { owner: context.owner, name: context.name, first, after },
        { signal: context.signal },
      );
      return pageOf(context, data.repository?.releases, cost);
    },
  });
  let written = 0;
  for await (const nodes of pages) {
    const recent =
      stopBefore === null ? nodes : nodes.filter((node) => Date.parse(node.createdAt) >= stopBefore);
    const changes = recent.flatMap((node) => releaseChange(node, observedAt) ?? []);
    await context.write(changes);
    written += changes.length;
    if (recent.length < nodes.length) break;
  }
  return written;
}

/**
 * Writes page after page of items ordered by `updatedAt`, newest first, until the first one updated
 * before `since`: everything after it is older still. The people of every item of a page are stored,
 * those older than `since` too: the page read their profiles now, so what it says of them is current.
 */
async function writeUpdatedSince<TNode extends { updatedAt: string }>(
  context: CrawlPartContext,
  pages: AsyncIterable<TNode[]>,
  since: Date | null,
  actorsOf: (node: TNode) => Array<ActorNode | null | undefined>,
  toChange: (node: TNode) => Promise<FactChange>,
): Promise<number> {
  let written = 0;
  for await (const nodes of pages) {
    await context.writePeople(githubPeopleOf(nodes.flatMap(actorsOf)));
    const updated =
      since === null ? nodes : nodes.filter((node) => Date.parse(node.updatedAt) >= since.getTime());
    const changes: FactChange[] = [];
    for (const node of updated) changes.push(await toChange(node));
    await context.write(changes);
    written += changes.length;
    if (updated.length < nodes.length) break;
  }
  return written;
}

async function withLaterResponse(
  context: CrawlPartContext,
  change: FactChange,
  nodeId: string,
  author: ActorNode | null,
  places: ResponsePlacePage[],
): Promise<FactChange> {
  if (change.kind !== 'pull_request' && change.kind !== 'issue') return change;
  const response = await firstResponseBeyondFirstPages({
    client: context.client,
    nodeId,
    author,
    places,
    found: change.fact.response,
    onCost: context.spend,
    onActors: (actors) => context.writePeople(githubPeopleOf(actors)),
    signal: context.signal,
  });
  if (response) change.fact.response = response;
  return change;
}

function pageOf<TNode>(
  context: CrawlPartContext,
  connection: Omit<ConnectionPage<TNode>, 'cost'> | undefined,
  cost: number,
): ConnectionPage<TNode> {
  // The repository vanished between two pages (deleted, made private): as permanent as a 404.
  if (!connection) throw new GithubNotFoundError(404, `GitHub has no ${context.owner}/${context.name}`);
  return { ...connection, cost };
}

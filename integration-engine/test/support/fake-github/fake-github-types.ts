/**
 * What a test seeds into the fake GitHub server (`*Seed`, every field but the identifying ones optional)
 * and what the server keeps (`Fake*`, defaults filled in; mutable, so a test can change a repository
 * between two requests and see a new ETag).
 */

/**
 * A user, bot or organisation as an author. A string is a login: `name[bot]` means a Bot, else a User. A
 * User's `company` is their profile's free text (null unless given); the first seed of a login decides it.
 */
export type FakeActorSeed =
  string | { login: string; type?: FakeActorType; databaseId?: number; company?: string | null };
export type FakeActorType = 'User' | 'Bot' | 'Organization' | 'Mannequin';

export interface FakeActor {
  /** As GraphQL shows it: a Bot's login without `[bot]` (REST adds it back). */
  login: string;
  type: FakeActorType;
  databaseId: number;
  nodeId: string;
  /** A User's profile company (GraphQL `User.company`); null for none and for every other type. */
  company: string | null;
}

export interface FakeOwnerSeed {
  login: string;
  type?: 'User' | 'Organization';
  databaseId?: number;
  name?: string | null;
  createdAt?: string;
}

export interface FakeOwner {
  login: string;
  type: 'User' | 'Organization';
  databaseId: number;
  nodeId: string;
  name: string | null;
  createdAt: string;
}

export interface FakeLicense {
  spdxId: string;
  key: string;
  name: string;
}

export interface FakeRepositorySeed {
  /** The owner's login; an unseeded owner is created as an Organization. */
  owner: string;
  name: string;
  databaseId?: number;
  description?: string | null;
  homepageUrl?: string | null;
  stars?: number;
  forks?: number;
  watchers?: number;
  /** Language name → bytes, as linguist counts them; the largest is the primary language unless given. */
  languages?: Record<string, number>;
  primaryLanguage?: string | null;
  topics?: string[];
  /** An SPDX id (`MIT`, `Apache-2.0`…) or a full license; null for none. */
  license?: string | FakeLicense | null;
  defaultBranch?: string;
  /** The default branch's head commit. */
  headOid?: string;
  archived?: boolean;
  isFork?: boolean;
  isPrivate?: boolean;
  hasIssues?: boolean;
  createdAt?: string;
  pushedAt?: string;
  updatedAt?: string;
  /** `https://github.com/<owner>/<name>` unless given. */
  url?: string;
  /** Where a git clone goes: point it at a local bare repository in tests. `<url>.git` unless given. */
  cloneUrl?: string;
  tags?: { name: string; sha: string }[];
  pullRequests?: FakePullRequestSeed[];
  issues?: FakeIssueSeed[];
  releases?: FakeReleaseSeed[];
  /** A DMCA or other block: REST answers 451 and GraphQL an error. */
  blocked?: { reason: string; htmlUrl?: string } | null;
}

export interface FakeRepository {
  owner: FakeOwner;
  name: string;
  databaseId: number;
  nodeId: string;
  description: string | null;
  homepageUrl: string | null;
  stars: number;
  forks: number;
  watchers: number;
  languages: Record<string, number>;
  primaryLanguage: string | null;
  topics: string[];
  license: FakeLicense | null;
  defaultBranch: string;
  headOid: string;
  archived: boolean;
  isFork: boolean;
  isPrivate: boolean;
  hasIssues: boolean;
  createdAt: string;
  pushedAt: string;
  updatedAt: string;
  url: string;
  cloneUrl: string;
  tags: { name: string; sha: string }[];
  pullRequests: FakePullRequest[];
  issues: FakeIssue[];
  releases: FakeRelease[];
  blocked: { reason: string; htmlUrl: string } | null;
}

export type FakeReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

export interface FakeCommentSeed {
  author?: FakeActorSeed | null;
  createdAt: string;
  body?: string;
}

export interface FakeComment {
  author: FakeActor | null;
  createdAt: string;
  body: string;
  databaseId: number;
  nodeId: string;
}

export interface FakeReviewSeed {
  author?: FakeActorSeed | null;
  state?: FakeReviewState;
  submittedAt: string;
  body?: string;
}

export interface FakeReview {
  author: FakeActor | null;
  state: FakeReviewState;
  submittedAt: string;
  body: string;
  databaseId: number;
  nodeId: string;
}

export type FakeAuthorAssociation =
  | 'COLLABORATOR'
  | 'CONTRIBUTOR'
  | 'FIRST_TIMER'
  | 'FIRST_TIME_CONTRIBUTOR'
  | 'MANNEQUIN'
  | 'MEMBER'
  | 'NONE'
  | 'OWNER';

export interface FakePullRequestSeed {
  number: number;
  databaseId?: number;
  title?: string;
  /** Null for a deleted account (GitHub shows `ghost`'s content with a null author). */
  author?: FakeActorSeed | null;
  authorAssociation?: FakeAuthorAssociation;
  createdAt: string;
  /** The latest of the other times unless given. */
  updatedAt?: string;
  mergedAt?: string | null;
  /** Set to mergedAt when merged unless given. */
  closedAt?: string | null;
  mergedBy?: FakeActorSeed | null;
  /** Who closed it without a merge (its timeline's ClosedEvent); the author unless given. */
  closedBy?: FakeActorSeed | null;
  isDraft?: boolean;
  reviews?: FakeReviewSeed[];
  comments?: FakeCommentSeed[];
}

export interface FakePullRequest {
  number: number;
  databaseId: number;
  nodeId: string;
  title: string;
  author: FakeActor | null;
  authorAssociation: FakeAuthorAssociation;
  createdAt: string;
  updatedAt: string;
  mergedAt: string | null;
  closedAt: string | null;
  mergedBy: FakeActor | null;
  closedBy: FakeActor | null;
  isDraft: boolean;
  reviews: FakeReview[];
  comments: FakeComment[];
}

export type FakeIssueStateReason = 'COMPLETED' | 'NOT_PLANNED' | 'REOPENED' | 'DUPLICATE';

export interface FakeIssueSeed {
  number: number;
  databaseId?: number;
  title?: string;
  author?: FakeActorSeed | null;
  authorAssociation?: FakeAuthorAssociation;
  createdAt: string;
  updatedAt?: string;
  closedAt?: string | null;
  /** COMPLETED when closed unless given; null while open. */
  stateReason?: FakeIssueStateReason | null;
  /** Who closed it (its timeline's ClosedEvent); the author unless given. */
  closedBy?: FakeActorSeed | null;
  comments?: FakeCommentSeed[];
}

export interface FakeIssue {
  number: number;
  databaseId: number;
  nodeId: string;
  title: string;
  author: FakeActor | null;
  authorAssociation: FakeAuthorAssociation;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  stateReason: FakeIssueStateReason | null;
  closedBy: FakeActor | null;
  comments: FakeComment[];
}

export interface FakeReleaseSeed {
  tagName: string;
  name?: string | null;
  databaseId?: number;
  createdAt?: string;
  /** Null for a draft. */
  publishedAt?: string | null;
  isDraft?: boolean;
  isPrerelease?: boolean;
  author?: FakeActorSeed | null;
}

export interface FakeRelease {
  tagName: string;
  name: string | null;
  databaseId: number;
  nodeId: string;
  createdAt: string;
  publishedAt: string | null;
  isDraft: boolean;
  isPrerelease: boolean;
  author: FakeActor | null;
}

/** GitHub's rate-limit resources the fake server keeps per token. */
export type FakeRateLimitResource = 'core' | 'graphql';

export interface FakeQuotaSeed {
  limit?: number;
  remaining?: number;
  /** When the window ends and `remaining` returns to `limit`; an hour from the start unless given. */
  resetAt?: Date;
}

export interface FakeQuota {
  limit: number;
  remaining: number;
  resetAt: Date;
}

export interface FakeTokenSeed {
  token: string;
  core?: FakeQuotaSeed;
  graphql?: FakeQuotaSeed;
  /** Answers 401 Bad credentials (revoked or expired). */
  rejected?: boolean;
  /** The user the token belongs to, for `viewer` and the rate-limit message. */
  login?: string;
}

export interface FakeToken {
  token: string;
  quotas: Record<FakeRateLimitResource, FakeQuota>;
  rejected: boolean;
  login: string;
  userId: number;
}

export interface FakeGithubSeed {
  owners?: FakeOwnerSeed[];
  repositories?: FakeRepositorySeed[];
  tokens?: FakeTokenSeed[];
}

/** A scripted misbehaviour, served instead of (or, for `delay`, before) the real answer. */
export type FakeFault =
  | { kind: 'server-error'; status?: 500 | 502 | 503 | 504 }
  /** 403 with `retry-after` (null: without the header, only GitHub's message). */
  | { kind: 'secondary-rate-limit'; retryAfterSeconds: number | null; status?: 403 | 429 }
  /** The socket is destroyed without an answer: a network error for the client. */
  | { kind: 'connection-reset' }
  /** The answer comes after `ms` (to test client timeouts). */
  | { kind: 'delay'; ms: number };

export interface FakeFaultRule {
  fault: FakeFault;
  /** How many matching requests get the fault. */
  times: number;
  endpoint?: 'rest' | 'graphql';
  /** Matches the request path (without the query string): a prefix, or a regular expression. */
  path?: string | RegExp;
}

export interface FakeRequestRecord {
  method: string;
  /** Path and query string as sent. */
  path: string;
  endpoint: 'rest' | 'graphql';
  /** The bearer token, null when anonymous. */
  token: string | null;
  ifNoneMatch: string | null;
  status: number;
  /** GraphQL only. */
  query?: string;
  variables?: Record<string, unknown>;
  /** Quota points this request cost (0 for a 304 or a refused request). */
  cost: number;
  fault?: FakeFault['kind'];
  at: Date;
}

export interface FakeInvalidQuery {
  query: string;
  variables: Record<string, unknown> | undefined;
  errors: string[];
}

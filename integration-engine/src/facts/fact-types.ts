/**
 * Facts as the engine stores them, whatever brought them (generic events, webhooks, crawls). Times are
 * RFC 3339 strings; `eventAt` is when the change happened, so late, older events cannot undo newer ones.
 */
export interface CommitFact {
  sha: string;
  authoredAt: string;
  committedAt?: string;
  authorName?: string;
  authorEmail?: string;
  authorLogin?: string;
  message?: string;
  additions?: number;
  deletions?: number;
  isMerge: boolean;
}

export type PullRequestState = 'open' | 'closed' | 'merged';

export interface PullRequestChange {
  number: number;
  title?: string;
  authorLogin?: string;
  createdAt?: string;
  mergedAt?: string;
  closedAt?: string;
  /** The state this change puts the pull request in; undefined for an edit that changes no state. */
  state?: PullRequestState;
  eventAt: string;
}

export interface IssueChange {
  number: number;
  title?: string;
  authorLogin?: string;
  createdAt?: string;
  closedAt?: string;
  state?: 'open' | 'closed';
  eventAt: string;
}

export interface ReleaseChange {
  tag: string;
  name?: string;
  publishedAt: string;
  deleted: boolean;
  eventAt: string;
}

export interface StarChange {
  actorLogin: string;
  starred: boolean;
  eventAt: string;
}

export interface ForkFact {
  forkOwner: string;
  forkName: string;
  actorLogin?: string;
  forkedAt: string;
}

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

/**
 * What issues and pull requests share beyond their state. `response` is a candidate first response
 * (a comment, review or close by someone other than the author who is not a bot): the earliest seen is
 * kept, so crawls and webhooks may report candidates in any order.
 */
export interface ConversationDetails {
  githubId?: number;
  authorId?: number;
  authorIsBot?: boolean;
  /** GitHub's author association: OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE… */
  authorAssociation?: string;
  updatedAt?: string;
  response?: { at: string; login: string };
}

export interface PullRequestChange extends ConversationDetails {
  number: number;
  isDraft?: boolean;
  mergedByLogin?: string;
  /** An APPROVED review by someone other than the author; `true` is never undone by a later `false`. */
  approved?: boolean;
  title?: string;
  authorLogin?: string;
  createdAt?: string;
  mergedAt?: string;
  closedAt?: string;
  /** The state this change puts the pull request in; undefined for an edit that changes no state. */
  state?: PullRequestState;
  eventAt: string;
}

export interface IssueChange extends ConversationDetails {
  number: number;
  comments?: number;
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

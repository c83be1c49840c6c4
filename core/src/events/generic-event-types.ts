export interface RepositoryReference {
  host: string;
  owner: string;
  name: string;
}

export interface Person {
  name?: string;
  email?: string;
  login?: string;
}

interface EventBase<Type extends string, Action extends string, Data> {
  id: string;
  type: Type;
  action: Action;
  repository: RepositoryReference;
  occurredAt: string;
  actor?: { login?: string; email?: string };
  data: Data;
}

export type CommitEvent = EventBase<
  'commit',
  'pushed',
  {
    sha: string;
    message?: string;
    authoredAt?: string;
    committedAt?: string;
    author?: Person;
    parents?: string[];
    additions?: number;
    deletions?: number;
  }
>;
export type PullRequestEvent = EventBase<
  'pull_request',
  'opened' | 'closed' | 'merged' | 'reopened' | 'edited',
  {
    number: number;
    title?: string;
    author?: Person;
    createdAt?: string;
    mergedAt?: string;
    closedAt?: string;
  }
>;
export type IssueEvent = EventBase<
  'issue',
  'opened' | 'closed' | 'reopened' | 'edited',
  { number: number; title?: string; author?: Person; createdAt?: string; closedAt?: string }
>;
export type ReleaseEvent = EventBase<
  'release',
  'published' | 'deleted',
  { tag: string; name?: string; publishedAt?: string }
>;
export type StarEvent = EventBase<'star', 'created' | 'deleted', Record<string, never>>;
export type ForkEvent = EventBase<'fork', 'created', { fork: { owner: string; name: string } }>;

export type GenericEvent = CommitEvent | PullRequestEvent | IssueEvent | ReleaseEvent | StarEvent | ForkEvent;

export interface GenericEventBatch {
  source: string;
  events: GenericEvent[];
}

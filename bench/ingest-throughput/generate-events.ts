import type { GenericEvent, GenericEventBatch } from '@repopulse/core';

export const benchSource = 'bench-ingest';
export const benchOwner = 'bench-org';

export interface CommitRow {
  repository: string;
  sha: string;
  authoredAt: string;
  authorName: string;
  authorEmail: string;
  message: string;
  additions: number;
  deletions: number;
}

/** A pull request or an issue as its `opened` event leaves it: open, created and state changed at once. */
export interface OpenedRow {
  repository: string;
  number: number;
  title: string;
  authorLogin: string;
  createdAt: string;
}

/** The rows the events of a dataset become, for the COPY baseline to write as they are. */
export interface FactRows {
  commits: CommitRow[];
  pullRequests: OpenedRow[];
  issues: OpenedRow[];
}

export interface Dataset {
  repositories: string[];
  batches: GenericEventBatch[];
  rows: FactRows;
  events: number;
}

export interface DatasetOptions {
  events: number;
  batchSize: number;
  repositories: number;
  /** How many repositories each batch's events fall on, round-robin. */
  repositoriesPerBatch: number;
  /** The repositories' owner and the batches' source (default `benchOwner`, `benchSource`). */
  owner?: string;
  source?: string;
}

// Fixed, so every run writes the same rows; 90 days of history, as a backfill of a quarter.
const newestEventMs = Date.parse('2026-01-01T00:00:00Z');
const historySeconds = 90 * 24 * 60 * 60;

function repositoryName(index: number): string {
  return `repo-${String(index).padStart(2, '0')}`;
}

/** Deterministic: the k-th event is always the same, so both sides of the benchmark write the same rows. */
function occurredAt(k: number): string {
  const secondsBack = (k * 7_919) % historySeconds;
  return new Date(newestEventMs - secondsBack * 1_000).toISOString();
}

/**
 * A mix as a forge import sends it: 80 % commits, 10 % pull requests opened, 10 % issues opened, spread
 * over `repositories` repositories and 90 days. Every event makes one fact row of its own, so "all events
 * are facts" is a row count and the baseline copies exactly the rows the engine ends with.
 */
export function generateDataset(options: DatasetOptions): Dataset {
  const repositories = Array.from({ length: options.repositories }, (_, index) => repositoryName(index));
  const numbers = new Map<string, number>();
  const rows: FactRows = { commits: [], pullRequests: [], issues: [] };
  const batches: GenericEventBatch[] = [];
  const perBatch = Math.min(options.repositoriesPerBatch, repositories.length);
  for (let first = 0, batchIndex = 0; first < options.events; first += options.batchSize, batchIndex++) {
    const events: GenericEvent[] = [];
    for (let k = first; k < Math.min(first + options.batchSize, options.events); k++) {
      const repository = repositories[(batchIndex * perBatch + (k % perBatch)) % repositories.length]!;
      events.push(eventFor(k, repository, numbers, rows, options.owner ?? benchOwner));
    }
    batches.push({ source: options.source ?? benchSource, events });
  }
  return { repositories, batches, rows, events: options.events };
}

function eventFor(
  k: number,
  repository: string,
  numbers: Map<string, number>,
  rows: FactRows,
  owner: string,
): GenericEvent {
  const at = occurredAt(k);
  const base = {
    id: `event-${k}`,
    repository: { host: 'github.com', owner, name: repository },
    occurredAt: at,
  };
  const kind = k % 10;
  if (kind === 0 || kind === 1) {
    const key = `${repository}/${kind}`;
    const number = (numbers.get(key) ?? 0) + 1;
    numbers.set(key, number);
    const opened: OpenedRow = {
      repository,
      number,
      title: `Bench change ${k}`,
      authorLogin: `contributor-${k % 97}`,
      createdAt: at,
    };
    const data = { number, title: opened.title, author: { login: opened.authorLogin }, createdAt: at };
    if (kind === 0) {
      rows.pullRequests.push(opened);
      return { ...base, type: 'pull_request', action: 'opened', data };
    }
    rows.issues.push(opened);
    return { ...base, type: 'issue', action: 'opened', data };
  }
  const commit: CommitRow = {
    repository,
    sha: k.toString(16).padStart(40, '0'),
    authoredAt: at,
    authorName: `Contributor ${k % 97}`,
    authorEmail: `contributor-${k % 97}@example.org`,
    message: `Bench commit ${k}`,
    additions: k % 120,
    deletions: k % 40,
  };
  rows.commits.push(commit);
  return {
    ...base,
    type: 'commit',
    action: 'pushed',
    data: {
      sha: commit.sha,
      authoredAt: at,
      author: { name: commit.authorName, email: commit.authorEmail },
      message: commit.message,
      additions: commit.additions,
      deletions: commit.deletions,
    },
  };
}

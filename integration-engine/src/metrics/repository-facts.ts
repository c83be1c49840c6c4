/**
 * Everything the metrics of one repository are computed from, loaded once (`load-repository-facts.ts`)
 * and held in memory, so every metric at every day of the backfilled series is a pure function of
 * (facts, now). Times are milliseconds since the epoch (UTC); arrays are sorted by their first time.
 */
export interface RepositoryFacts {
  repository: {
    id: string;
    /** When the repository was created (GitHub), else its first commit's author date; null if neither. */
    createdAt: number | null;
    archived: boolean;
    /** False when GitHub says the repository has no issue tracker; null when unknown (a plain git URL). */
    hasIssues: boolean | null;
    /** Whether GitHub facts exist at all (a plain git repository has none: its GitHub metrics are null). */
    onGithub: boolean;
    stars: number | null;
    forks: number | null;
    watchers: number | null;
  };
  /** Commits reachable from the default branch, by author date. */
  commits: CommitFact[];
  /**
   * Commit authors' organisations by their GitHub profile company (`github_people`, normalised by
   * `organisationOfCompany`): person key (`github:<id>`, `login:<login>`) → organisation, for the persons
   * whose company names one. docs/METRICS.md: the GitHub company where known, else the e-mail domain.
   */
  githubOrganisations: ReadonlyMap<string, string>;
  pullRequests: PullRequestFact[];
  /** Issues, never pull requests. */
  issues: IssueFact[];
  /** Published, not deleted; GitHub releases, else version tags. */
  releases: Array<{ tag: string; publishedAt: number }>;
  /** Daily snapshots of the counts, by day (ms of the UTC midnight). */
  countsDaily: Array<{ day: number; stars: number | null; forks: number | null; watchers: number | null }>;
  /** Star facts (webhooks, events), to refine the snapshot gains where known. */
  stars: Array<{ starredAt: number; unstarredAt: number | null }>;
  forks: Array<{ forkedAt: number }>;
}

export interface CommitFact {
  sha: string;
  authoredAt: number;
  committedAt: number | null;
  /**
   * One person across e-mails and logins (docs/METRICS.md "Identities"): `github:<id>`, `login:<login>`,
   * `email:<e-mail>` or `name:<name>`.
   */
  person: string;
  /** The person's name as shown (mailmap applied), for ordering ties. */
  personName: string;
  /**
   * The author e-mail's domain as organisation, or null (public mail domains, noreply): what the commit
   * counts for when its person has no GitHub company (`RepositoryFacts.githubOrganisations`).
   */
  emailOrganisation: string | null;
  isBot: boolean;
  isMerge: boolean;
  additions: number;
  deletions: number;
}

export interface PullRequestFact {
  number: number;
  createdAt: number | null;
  mergedAt: number | null;
  /** Closed (merged or not); null while open. */
  closedAt: number | null;
  state: 'open' | 'closed' | 'merged';
  /** The author as a person key (`login:<login>`), or null when unknown. */
  author: string | null;
  authorIsBot: boolean;
  firstResponseAt: number | null;
  approved: boolean;
  mergedBy: string | null;
  updatedAt: number | null;
}

export interface IssueFact {
  number: number;
  createdAt: number | null;
  /** The last close; null while open (a reopened issue counts closed only by its last close). */
  closedAt: number | null;
  state: 'open' | 'closed';
  author: string | null;
  authorIsBot: boolean;
  authorAssociation: string | null;
  firstResponseAt: number | null;
  updatedAt: number | null;
  comments: number | null;
}

export const dayMs = 86_400_000;

/** `[now − days, now)`: docs/METRICS.md's half-open windows. */
export function inWindow(time: number | null, now: number, days: number): boolean {
  return time !== null && time >= now - days * dayMs && time < now;
}

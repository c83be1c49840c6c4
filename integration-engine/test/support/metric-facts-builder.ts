import type {
  CommitFact,
  IssueFact,
  PullRequestFact,
  RepositoryFacts,
} from '../../src/metrics/repository-facts.js';
import { dayMs } from '../../src/metrics/repository-facts.js';
import { organisationOfCompany } from '../../src/people/github-company.js';

/**
 * A time as a test writes it: an ISO 8601 string (any offset; it is converted to UTC like every stored
 * time) or milliseconds since the epoch.
 */
export type TestTime = string | number;

/** Milliseconds since the epoch of a test time; throws on a string `Date.parse` cannot read. */
export function at(time: TestTime): number {
  if (typeof time === 'number') return time;
  const parsed = Date.parse(time);
  if (Number.isNaN(parsed)) throw new Error(`not a time: ${time}`);
  return parsed;
}

const optionalTime = (time: TestTime | null | undefined): number | null =>
  time === null || time === undefined ? null : at(time);

export const hourMs = 3_600_000;
/** `days` whole days in milliseconds, for arithmetic like `at(now) - days(30)`. */
export const days = (count: number): number => count * dayMs;
export const hours = (count: number): number => count * hourMs;

type WithTimes<Fact, Keys extends keyof Fact> = Omit<Partial<Fact>, Keys> & {
  [Key in Keys]?: TestTime | null;
};

export type CommitInput = WithTimes<CommitFact, 'authoredAt' | 'committedAt'> & { authoredAt: TestTime };
export type PullRequestInput = WithTimes<
  PullRequestFact,
  'createdAt' | 'mergedAt' | 'closedAt' | 'firstResponseAt' | 'updatedAt'
>;
export type IssueInput = WithTimes<IssueFact, 'createdAt' | 'closedAt' | 'firstResponseAt' | 'updatedAt'>;
export type RepositoryInput = Omit<Partial<RepositoryFacts['repository']>, 'createdAt'> & {
  createdAt?: TestTime | null;
};

export interface FactsBuilder {
  repository(input: RepositoryInput): FactsBuilder;
  /** A commit by `login:ada` ("Ada", independent), human, not a merge, no lines changed, unless said. */
  commit(input: CommitInput): FactsBuilder;
  /**
   * A person's GitHub profile company as written (`@Acme Inc.`), normalised as the crawler stores it in
   * `github_people`; one that names no employer (`freelance`) leaves the person to their e-mail domain.
   */
  githubCompany(person: string, company: string | null): FactsBuilder;
  /** A pull request by `login:ada`; its state follows from mergedAt/closedAt (closedAt defaults to mergedAt). */
  pullRequest(input: PullRequestInput): FactsBuilder;
  /** An issue by `login:ada`; its state follows from closedAt (the last close). */
  issue(input: IssueInput): FactsBuilder;
  release(input: { publishedAt: TestTime; tag?: string }): FactsBuilder;
  countsDaily(input: {
    day: TestTime;
    stars?: number | null;
    forks?: number | null;
    watchers?: number | null;
  }): FactsBuilder;
  star(input: { starredAt: TestTime; unstarredAt?: TestTime | null }): FactsBuilder;
  fork(input: { forkedAt: TestTime }): FactsBuilder;
  /** The facts, each array sorted as `load-repository-facts.ts` sorts it. */
  build(): RepositoryFacts;
}

/**
 * Builds `RepositoryFacts` for metric unit tests, defaulting everything a test does not care about:
 * a GitHub repository with an issue tracker, created 2020-01-01, not archived, no counts.
 * Pull request and issue numbers are shared and increase from 1 unless given, as on GitHub.
 */
export function factsBuilder(): FactsBuilder {
  let repository: RepositoryFacts['repository'] = {
    id: 'repository-1',
    createdAt: at('2020-01-01T00:00:00Z'),
    archived: false,
    hasIssues: true,
    onGithub: true,
    stars: null,
    forks: null,
    watchers: null,
  };
  const commits: CommitFact[] = [];
  const githubOrganisations = new Map<string, string>();
  const pullRequests: PullRequestFact[] = [];
  const issues: IssueFact[] = [];
  const releases: RepositoryFacts['releases'] = [];
  const countsDaily: RepositoryFacts['countsDaily'] = [];
  const stars: RepositoryFacts['stars'] = [];
  const forks: RepositoryFacts['forks'] = [];
  let nextNumber = 1;
  const number = (given: number | undefined) => {
    const chosen = given ?? nextNumber;
    nextNumber = Math.max(nextNumber, chosen + 1);
    return chosen;
  };

  const builder: FactsBuilder = {
    repository(input) {
      const { createdAt, ...rest } = input;
      repository = { ...repository, ...rest };
      if (createdAt !== undefined) repository.createdAt = optionalTime(createdAt);
      return builder;
    },
    commit(input) {
      const authoredAt = at(input.authoredAt);
      commits.push({
        sha: input.sha ?? `c${String(commits.length + 1).padStart(39, '0')}`,
        person: input.person ?? 'login:ada',
        personName: input.personName ?? 'Ada',
        emailOrganisation: input.emailOrganisation ?? null,
        isBot: input.isBot ?? false,
        isMerge: input.isMerge ?? false,
        additions: input.additions ?? 0,
        deletions: input.deletions ?? 0,
        authoredAt,
        committedAt: input.committedAt === undefined ? authoredAt : optionalTime(input.committedAt),
      });
      return builder;
    },
    githubCompany(person, company) {
      const organisation = organisationOfCompany(company);
      if (organisation === null) githubOrganisations.delete(person);
      else githubOrganisations.set(person, organisation);
      return builder;
    },
    pullRequest(input) {
      const mergedAt = optionalTime(input.mergedAt);
      const closedAt = input.closedAt === undefined ? mergedAt : optionalTime(input.closedAt);
      pullRequests.push({
        number: number(input.number),
        author: input.author === undefined ? 'login:ada' : input.author,
        authorIsBot: input.authorIsBot ?? false,
        approved: input.approved ?? false,
        mergedBy: input.mergedBy ?? null,
        state: input.state ?? (mergedAt !== null ? 'merged' : closedAt !== null ? 'closed' : 'open'),
        createdAt: optionalTime(input.createdAt),
        mergedAt,
        closedAt,
        firstResponseAt: optionalTime(input.firstResponseAt),
        updatedAt: optionalTime(input.updatedAt),
      });
      return builder;
    },
    issue(input) {
      const closedAt = optionalTime(input.closedAt);
      issues.push({
        number: number(input.number),
        author: input.author === undefined ? 'login:ada' : input.author,
        authorIsBot: input.authorIsBot ?? false,
        authorAssociation: input.authorAssociation ?? null,
        comments: input.comments ?? null,
        state: input.state ?? (closedAt !== null ? 'closed' : 'open'),
        createdAt: optionalTime(input.createdAt),
        closedAt,
        firstResponseAt: optionalTime(input.firstResponseAt),
        updatedAt: optionalTime(input.updatedAt),
      });
      return builder;
    },
    release(input) {
      releases.push({ tag: input.tag ?? `v${releases.length + 1}.0.0`, publishedAt: at(input.publishedAt) });
      return builder;
    },
    countsDaily(input) {
      countsDaily.push({
        day: at(input.day),
        stars: input.stars ?? null,
        forks: input.forks ?? null,
        watchers: input.watchers ?? null,
      });
      return builder;
    },
    star(input) {
      stars.push({ starredAt: at(input.starredAt), unstarredAt: optionalTime(input.unstarredAt) });
      return builder;
    },
    fork(input) {
      forks.push({ forkedAt: at(input.forkedAt) });
      return builder;
    },
    build() {
      const byCreated = (a: { createdAt: number | null; number: number }, b: typeof a) =>
        (a.createdAt ?? Infinity) - (b.createdAt ?? Infinity) || a.number - b.number;
      return {
        repository: { ...repository },
        commits: [...commits].sort((a, b) => a.authoredAt - b.authoredAt || a.sha.localeCompare(b.sha)),
        githubOrganisations: new Map(githubOrganisations),
        pullRequests: [...pullRequests].sort(byCreated),
        issues: [...issues].sort(byCreated),
        releases: [...releases].sort((a, b) => a.publishedAt - b.publishedAt),
        countsDaily: [...countsDaily].sort((a, b) => a.day - b.day),
        stars: [...stars].sort((a, b) => a.starredAt - b.starredAt),
        forks: [...forks].sort((a, b) => a.forkedAt - b.forkedAt),
      };
    },
  };
  return builder;
}

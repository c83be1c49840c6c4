import { commitOrganisation } from '../people.js';
import type { CommitFact, RepositoryFacts } from '../repository-facts.js';
import { windowRange } from './window-search.js';

// The community metrics count people by the commits they authored. docs/METRICS.md: "Commit counts are
// non-merge commits reachable from the default branch, dated by author date", so a merge makes nobody a
// contributor (as `git shortlog -s --no-merges` counts them), and bots are "never counted as
// contributors". Every community metric built on commits uses this one selection, so contributors,
// new contributors, retention and the bus factor can be compared with each other and with `git shortlog`.
// A commit counts for its person's organisation as docs/METRICS.md "Identities" has it: their GitHub company
// where known, else the commit's e-mail domain, else nobody's (an independent) — `commitOrganisation`.

/** A commit that makes its author a contributor: not a merge, not by a bot. */
const isContributorCommit = (commit: CommitFact): boolean => !commit.isMerge && !commit.isBot;

/**
 * The commits' authors and organisations as small numbers, found once per facts: the ~365 points of the
 * daily series each walk a year of commits, and counting into arrays by number is many times cheaper
 * than hashing a person key for every commit of every point.
 */
export interface ContributorIndex {
  /** Per commit, in `facts.commits` order: its author's number, or −1 for a merge or a bot's commit. */
  personOf: Int32Array;
  /** Per commit: its organisation's number, or −1 for an independent, a merge or a bot's commit. */
  organisationOf: Int32Array;
  /** Number → person key. */
  persons: string[];
  /** Number → organisation (a GitHub company's normalised name, or an e-mail domain). */
  organisations: string[];
  /** Number → the person's first contributor commit's author date. */
  firstCommitAt: number[];
}

const indexes = new WeakMap<readonly CommitFact[], ContributorIndex>();

export function contributorIndex(facts: RepositoryFacts): ContributorIndex {
  const cached = indexes.get(facts.commits);
  if (cached) return cached;
  const personNumbers = new Map<string, number>();
  const organisationNumbers = new Map<string, number>();
  const index: ContributorIndex = {
    personOf: new Int32Array(facts.commits.length).fill(-1),
    organisationOf: new Int32Array(facts.commits.length).fill(-1),
    persons: [],
    organisations: [],
    firstCommitAt: [],
  };
  facts.commits.forEach((commit, position) => {
    if (!isContributorCommit(commit)) return;
    let person = personNumbers.get(commit.person);
    if (person === undefined) {
      personNumbers.set(commit.person, (person = index.persons.length));
      index.persons.push(commit.person);
      // Commits are sorted by author date, so a person's first seen is their first authored.
      index.firstCommitAt.push(commit.authoredAt);
    }
    index.personOf[position] = person;
    const name = commitOrganisation(commit.person, commit.emailOrganisation, facts.githubOrganisations);
    if (name === null) return;
    let organisation = organisationNumbers.get(name);
    if (organisation === undefined) {
      organisationNumbers.set(name, (organisation = index.organisations.length));
      index.organisations.push(name);
    }
    index.organisationOf[position] = organisation;
  });
  indexes.set(facts.commits, index);
  return index;
}

/** The numbers of the persons who authored a contributor commit in `[now − days, now)`, each once. */
export function contributorNumbersIn(facts: RepositoryFacts, now: number, days: number): number[] {
  const { personOf, persons } = contributorIndex(facts);
  const seen = new Uint8Array(persons.length);
  const found: number[] = [];
  const { start, end } = windowRange(facts.commits, 'authoredAt', now, days);
  for (let position = start; position < end; position++) {
    const person = personOf[position]!;
    if (person >= 0 && seen[person] === 0) {
      seen[person] = 1;
      found.push(person);
    }
  }
  return found;
}

/** The persons (keys) who authored a contributor commit in `[now − days, now)`. */
export function contributorsIn(facts: RepositoryFacts, now: number, days: number): Set<string> {
  const { persons } = contributorIndex(facts);
  return new Set(contributorNumbersIn(facts, now, days).map((person) => persons[person]!));
}

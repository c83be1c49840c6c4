import type { MetricDefinition } from '../metric-definition.js';
import { known, unknown } from '../metric-definition.js';
import type { RepositoryFacts } from '../repository-facts.js';
import { contributorIndex } from './community-commit-authors.js';
import { windowRange } from './window-search.js';

/** A person's or an organisation's share of a window's commits. */
export interface CommitHolder {
  /**
   * The person key (`github:…`, `login:…`, `email:…`) or the organisation (a GitHub company's normalised
   * name or an e-mail domain).
   */
  key: string;
  /** What ties are ordered by: the person's name as shown, or the organisation itself. */
  name: string;
  commits: number;
}

/** Text order that does not depend on the machine's locale, so every engine ranks alike. */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Most commits first; ties by name (case-folded, then as written), then by key, which is unique. */
const byCommitsThenName = (a: CommitHolder, b: CommitHolder): number =>
  b.commits - a.commits ||
  compareText(a.name.toLowerCase(), b.name.toLowerCase()) ||
  compareText(a.name, b.name) ||
  compareText(a.key, b.key);

/**
 * Counts the window's contributor commits by holder number (`holderOf[position]`, −1 for none) and ranks
 * the holders. `nameOf` gets the holder and the position of its latest commit in the window.
 */
function rankHolders(
  facts: RepositoryFacts,
  now: number,
  days: number,
  holderOf: Int32Array,
  keys: readonly string[],
  nameOf: (holder: number, latestPosition: number) => string,
): CommitHolder[] {
  const commits = new Int32Array(keys.length);
  const latest = new Int32Array(keys.length);
  const counted: number[] = [];
  const { start, end } = windowRange(facts.commits, 'authoredAt', now, days);
  for (let position = start; position < end; position++) {
    const holder = holderOf[position]!;
    if (holder < 0) continue;
    if (commits[holder] === 0) counted.push(holder);
    commits[holder] = commits[holder]! + 1;
    latest[holder] = position;
  }
  return counted
    .map((holder) => ({
      key: keys[holder]!,
      name: nameOf(holder, latest[holder]!),
      commits: commits[holder]!,
    }))
    .sort(byCommitsThenName);
}

/**
 * The window's persons (bots apart) by their non-merge commits: most first, ties by name then key. A
 * person known by several names (commits before a `.mailmap` entry) is ranked by their latest one.
 */
export function personsByCommits(facts: RepositoryFacts, now: number, days: number): CommitHolder[] {
  const { personOf, persons } = contributorIndex(facts);
  return rankHolders(
    facts,
    now,
    days,
    personOf,
    persons,
    (_, position) => facts.commits[position]!.personName,
  );
}

/**
 * The window's organisations by their people's non-merge commits (each commit for its person's GitHub
 * company where known, else its e-mail domain); independents are left out.
 */
export function organisationsByCommits(facts: RepositoryFacts, now: number, days: number): CommitHolder[] {
  const { organisationOf, organisations } = contributorIndex(facts);
  return rankHolders(facts, now, days, organisationOf, organisations, (holder) => organisations[holder]!);
}

/**
 * How many of `ranked` (most commits first) it takes for their commits to add up to at least half of
 * all of theirs: ≥, not >, so one person with exactly half is a factor of 1. Ties in the order change who
 * is named, never the number: holders with equal counts add the same to the sum whichever comes first.
 */
export function holdersOfHalf(ranked: readonly CommitHolder[]): number {
  const total = ranked.reduce((sum, holder) => sum + holder.commits, 0);
  let sum = 0;
  let holders = 0;
  for (const holder of ranked) {
    if (sum * 2 >= total) break;
    sum += holder.commits;
    holders++;
  }
  return holders;
}

export const busFactor365d: MetricDefinition = {
  name: 'bus_factor_365d',
  version: 1,
  definition:
    'smallest number of persons whose commits add up to at least 50 % (≥, not >) of the window\'s human commits (persons ordered by commit count, ties by name) (CHAOSS "contributor absence factor")',
  source: 'git',
  compute(facts, now) {
    const ranked = personsByCommits(facts, now, 365);
    // No human commit in a year: nobody to be absent, and 0 would read as "nobody holds the project".
    return ranked.length === 0 ? unknown('empty_window') : known(holdersOfHalf(ranked));
  },
};

export const elephantFactor365d: MetricDefinition = {
  name: 'elephant_factor_365d',
  // 2: an organisation is the person's GitHub company where known (`github_people`, "@Acme, Inc." and
  // "acme" one organisation), else the e-mail domain, as docs/METRICS.md "Identities" says; 1 counted e-mail
  // domains only, so a company's people writing from gmail.com or noreply addresses were independents.
  version: 2,
  definition: 'the same with organisations instead of persons, independents excluded (CHAOSS)',
  source: 'git + GitHub',
  compute(facts, now) {
    // Independents are left out of the total as well as of the ranking (CHAOSS and GrimoireLab count
    // only affiliated commits): otherwise a project of many independents and one company would need
    // "more than all" of that company. With no affiliated commit in the window there is no organisation
    // to count, so the factor is unknown (empty_window) rather than 0.
    const ranked = organisationsByCommits(facts, now, 365);
    return ranked.length === 0 ? unknown('empty_window') : known(holdersOfHalf(ranked));
  },
};

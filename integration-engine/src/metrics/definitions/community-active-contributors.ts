import { isBot } from '../../people/bots.js';
import type { MetricDefinition } from '../metric-definition.js';
import { known } from '../metric-definition.js';
import { contributorsIn } from './community-commit-authors.js';
import { sortedByTime, windowRange } from './window-search.js';

const loginOf = (person: string): string => person.replace(/^login:/, '');

interface Authored {
  createdAt: number | null;
  author: string | null;
  authorIsBot: boolean;
}

/** Adds the human authors of the pull requests or issues created in `[now − 90d, now)`. */
function addAuthors(persons: Set<string>, items: readonly Authored[], now: number): void {
  const { start, end } = windowRange(items, 'createdAt', now, 90);
  for (let index = start; index < end; index++) {
    const item = items[index]!;
    if (item.author !== null && !item.authorIsBot) persons.add(item.author);
  }
}

export const activeContributors90d: MetricDefinition = {
  name: 'active_contributors_90d',
  version: 1,
  definition:
    'distinct persons (bots apart) with any contribution in the window: commit, PR, issue, review or comment',
  source: 'git + GitHub',
  compute(facts, now) {
    // Commits are the same selection as `contributors_90d` (non-merge, human), so active ≥ contributors.
    const persons = contributorsIn(facts, now, 90);
    addAuthors(persons, facts.pullRequests, now);
    addAuthors(persons, facts.issues, now);
    // Reviews and comments: the facts keep only when a pull request or issue was first answered, not who
    // answered, nor any later review or comment, so their authors cannot be counted; this is a lower
    // bound. The one review-like act whose actor is kept is a merge: whoever merged a pull request in the
    // window took part in it (the fact carries no bot flag, so bots are recognised by login).
    const merged = sortedByTime(facts.pullRequests, 'mergedAt');
    const { start, end } = windowRange(merged, 'mergedAt', now, 90);
    for (let index = start; index < end; index++) {
      const merger = merged[index]!.mergedBy;
      if (merger !== null && !isBot({ login: loginOf(merger) })) persons.add(merger);
    }
    // Person keys agree across sources where they can: a commit's author is `login:<x>` whenever an e-mail
    // was seen with that login (webhook commits) or is a GitHub noreply address; an author known only by
    // e-mail stays `email:<x>` and counts apart from their pull requests' `login:<x>`.
    return known(persons.size);
  },
};

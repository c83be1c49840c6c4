import type { MetricDefinition } from '../metric-definition.js';
import { known, unknown } from '../metric-definition.js';
import { dayMs } from '../repository-facts.js';
import { contributorIndex, contributorNumbersIn } from './community-commit-authors.js';

// Counts of persons are known for any repository, even one younger than the window or with no commit
// yet: 0 is then the true answer (as for `commits_90d`). Only the retention, a share, can be unknown.

function contributors(days: number): MetricDefinition {
  return {
    name: `contributors_${days}d`,
    version: 1,
    definition: 'distinct persons (bots apart) who authored a commit in the window',
    source: 'git',
    compute: (facts, now) => known(contributorNumbersIn(facts, now, days).length),
  };
}

export const contributors90d = contributors(90);
export const contributors365d = contributors(365);

export const newContributors90d: MetricDefinition = {
  name: 'new_contributors_90d',
  version: 1,
  definition: 'persons whose first-ever commit in the repository is in the window',
  source: 'git',
  compute(facts, now) {
    // CHAOSS, not Augur: a person is new when their first commit ever falls in the window, not when their
    // first commit inside the window does. "First-ever commit" is their first non-merge commit, the same
    // selection as `contributors_90d`, so the new contributors are always some of the contributors.
    const windowStart = now - 90 * dayMs;
    const { firstCommitAt } = contributorIndex(facts);
    const newcomers = contributorNumbersIn(facts, now, 90).filter(
      (person) => firstCommitAt[person]! >= windowStart,
    );
    return known(newcomers.length);
  },
};

export const contributorRetention90d: MetricDefinition = {
  name: 'contributor_retention_90d',
  version: 1,
  definition:
    'of persons who committed in `[now−180d, now−90d)`, the share who also committed in the last 90 days',
  source: 'git',
  compute(facts, now) {
    const createdAt = facts.repository.createdAt;
    if (createdAt === null) return unknown('unknown_creation_date');
    // A repository younger than the two windows together has no full earlier window to retain from.
    if (createdAt > now - 180 * dayMs) return unknown('younger_than_window');
    const earlier = contributorNumbersIn(facts, now - 90 * dayMs, 90);
    if (earlier.length === 0) return unknown('empty_window');
    const recent = new Set(contributorNumbersIn(facts, now, 90));
    const retained = earlier.filter((person) => recent.has(person));
    return known(retained.length / earlier.length);
  },
};

import type { MetricDefinition } from '../metric-definition.js';
import { known, unknown } from '../metric-definition.js';
import { wholeDays } from './durations.js';
import { countInWindow, firstIndexAtOrAfter } from './window-search.js';

// Releases are GitHub releases, else version tags (docs/METRICS.md source "GitHub / git"), so unlike the
// pull request and issue metrics they are known for a plain git repository too.

export const releases365d: MetricDefinition = {
  name: 'releases_365d',
  version: 1,
  definition: 'releases (GitHub releases, else version tags) published in the window',
  source: 'GitHub / git',
  // A count: 0 for a repository that never released is a true answer, not an unknown.
  compute: (facts, now) => known(countInWindow(facts.releases, 'publishedAt', now, 365)),
};

export const daysSinceLastRelease: MetricDefinition = {
  name: 'days_since_last_release',
  version: 1,
  definition: 'days since the newest release',
  source: 'GitHub / git',
  compute(facts, now) {
    const newest = facts.releases[firstIndexAtOrAfter(facts.releases, 'publishedAt', now) - 1];
    // Whole days (floor), as days_since_last_commit, so the two read alike side by side.
    return newest ? known(wholeDays(now - newest.publishedAt)) : unknown('no_releases');
  },
};

import type { MetricNullReason, MetricValue } from './metric-definition.js';
import type { RepositoryFacts } from './repository-facts.js';
import { dayMs } from './repository-facts.js';

// The health score's policy: which metrics feed each component and where each scores 0 and 100, read
// from docs/METRICS.md's "Health score" table. The computation that applies them is in `health-score.ts`.

export type HealthComponentName = 'activity' | 'community' | 'responsiveness' | 'maintenance' | 'growth';

export interface ScaleContext {
  metrics: Record<string, MetricValue>;
  facts: RepositoryFacts;
  now: number;
}

/**
 * One input of a component. docs/METRICS.md gives each component a "100 when" and a "0 when" column; each
 * input scores 100 at its end of the first, 0 at its end of the second, linearly between, flat beyond.
 */
export interface InputScale {
  metric: string;
  /** The input's name, for when its value is unknown. */
  label: string;
  describe(value: number): string;
  zeroAt: number;
  fullAt(context: ScaleContext): number;
  /** The 0 end in words, where docs/METRICS.md's words say it better than a number. */
  zeroWords?: string;
  /** The 100 end in words, where a number alone would not explain it. */
  fullWords?(context: ScaleContext): string;
  /** A score for an unknown value that still tells something (never released: 0), else null. */
  scoreUnknown?(reason: MetricNullReason | undefined, context: ScaleContext): ScoredWords | null;
}

export interface ScoredWords {
  score: number;
  words: string;
}

/** A number as shown in a reason: at most two decimals. */
export const formatNumber = (value: number): string => String(Math.round(value * 100) / 100);
const plural = (count: number, noun: string): string =>
  `${formatNumber(count)} ${noun}${count === 1 ? '' : 's'}`;

// Activity: "100 when commits_90d ≥ 26 and days_since_last_commit ≤ 14; 0 when no commit in 365 days".
// No commit in a year is 0 commits in 90 days and a last commit ≥ 365 days ago, so those are the 0 ends.
const activityInputs: InputScale[] = [
  {
    metric: 'commits_90d',
    label: 'commits in 90 days',
    describe: (value) => `${plural(value, 'commit')} in 90 days`,
    zeroAt: 0,
    fullAt: () => 26,
    zeroWords: 'none',
  },
  {
    metric: 'days_since_last_commit',
    label: 'the days since the last commit',
    describe: (value) => `the last commit ${plural(value, 'day')} ago`,
    zeroAt: 365,
    fullAt: () => 14,
  },
];

// Community: "100 when contributors_90d ≥ 10 and bus_factor_365d ≥ 4; 0 when one person or none", so
// both inputs are 0 at one (or fewer) and climb to their 100 ends: 10 contributors, a bus factor of 4.
const communityInputs: InputScale[] = [
  {
    metric: 'contributors_90d',
    label: 'contributors in 90 days',
    describe: (value) => `${plural(value, 'contributor')} in 90 days`,
    zeroAt: 1,
    fullAt: () => 10,
    zeroWords: 'one person or none',
  },
  {
    metric: 'bus_factor_365d',
    label: 'the bus factor over 365 days',
    describe: (value) => `a bus factor of ${formatNumber(value)} over 365 days`,
    zeroAt: 1,
    fullAt: () => 4,
    zeroWords: 'one person',
  },
];

/** Some issue or pull request of the window has waited 30 days or more with no response by `now`. */
function someoneWaitedThirtyDays({ facts, now }: ScaleContext): boolean {
  const waited = (item: { createdAt: number | null; firstResponseAt: number | null }) =>
    item.createdAt !== null &&
    item.createdAt >= now - 90 * dayMs &&
    item.createdAt <= now - 30 * dayMs &&
    (item.firstResponseAt === null || item.firstResponseAt >= now);
  return facts.issues.some(waited) || facts.pullRequests.some(waited);
}

// Responsiveness: "100 when first_response_median_hours_90d ≤ 24 and change_request_closure_ratio_90d
// ≥ 0.9; 0 when no response in 30 days". A median response of 30 days (720 hours) is the 0 end of the
// first; a closure ratio of 0 of the second. With no response at all the median is unknown
// (`no_responses`): that is the 0 end itself once something has waited 30 days, and too early to tell
// (unknown) before.
const responsivenessInputs: InputScale[] = [
  {
    metric: 'first_response_median_hours_90d',
    label: 'the median first response',
    describe: (value) => `a median first response of ${plural(value, 'hour')}`,
    zeroAt: 720,
    fullAt: () => 24,
    zeroWords: '≥ 720, 30 days',
    scoreUnknown: (reason, context) =>
      reason === 'no_responses' && someoneWaitedThirtyDays(context)
        ? {
            score: 0,
            words: 'no response in 90 days, with an issue or pull request waiting 30 days or more (0)',
          }
        : null,
  },
  {
    metric: 'change_request_closure_ratio_90d',
    label: 'the pull request closure ratio',
    describe: (value) => `a pull request closure ratio of ${formatNumber(value)}`,
    zeroAt: 0,
    fullAt: () => 0.9,
    zeroWords: 'none closed',
  },
];

// Maintenance: "100 when a release in the last 90 days and code_review_ratio_90d ≥ 0.9; 0 when no release
// or review ever". A release ≤ 90 days ago is 100, and the score falls linearly to 0 at a year without
// one (the `releases_365d` window: a project silent for a year is as unreleased as one that never
// released). Never released (`no_releases`) is 0 on GitHub, whose releases and tags we see; a plain git
// repository without version tags may release elsewhere, so there it stays unknown. A code review ratio
// of 0.9 or more is 100, 0 is 0; with no pull request merged in 90 days it is unknown.
const maintenanceInputs: InputScale[] = [
  {
    metric: 'days_since_last_release',
    label: 'the days since the last release',
    describe: (value) => `the last release ${plural(value, 'day')} ago`,
    zeroAt: 365,
    fullAt: () => 90,
    scoreUnknown: (reason, { facts }) =>
      reason === 'no_releases' && facts.repository.onGithub
        ? { score: 0, words: 'no release ever (0)' }
        : null,
  },
  {
    metric: 'code_review_ratio_90d',
    label: 'the code review ratio',
    describe: (value) => `a code review ratio of ${formatNumber(value)}`,
    zeroAt: 0,
    fullAt: () => 0.9,
    zeroWords: 'none reviewed',
  },
];

/** "≥ 1 % of stars or ≥ 50": the smaller of the two is enough; 50 when the star count is unknown. */
function growthTarget({ metrics }: ScaleContext): number {
  const stars = metrics['stars']?.value ?? null;
  return stars === null ? 50 : Math.min(50, stars / 100);
}

// Growth: "100 when stars_gained_30d ≥ 1 % of stars or ≥ 50; 0 when no gain": 0 at a gain of 0 (or a
// loss), 100 at the target, linear between. A repository with 0 stars that gains none scores 0.
const growthInputs: InputScale[] = [
  {
    metric: 'stars_gained_30d',
    label: 'the stars gained in 30 days',
    describe: (value) => `${plural(value, 'star')} gained in 30 days`,
    zeroAt: 0,
    fullAt: growthTarget,
    zeroWords: 'no gain',
    fullWords: (context) => {
      const target = growthTarget(context);
      return target < 50 ? `≥ ${formatNumber(target)}, 1 % of the stars` : '≥ 50';
    },
  },
];

export const componentScales: Array<{
  name: HealthComponentName;
  weight: number;
  inputs: InputScale[];
  zeroWhenArchived: boolean;
}> = [
  { name: 'activity', weight: 25, inputs: activityInputs, zeroWhenArchived: true },
  { name: 'community', weight: 25, inputs: communityInputs, zeroWhenArchived: false },
  { name: 'responsiveness', weight: 20, inputs: responsivenessInputs, zeroWhenArchived: false },
  { name: 'maintenance', weight: 20, inputs: maintenanceInputs, zeroWhenArchived: true },
  { name: 'growth', weight: 10, inputs: growthInputs, zeroWhenArchived: false },
];

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeHealth, healthScoreVersion, type HealthScore } from '../src/metrics/health-score.js';
import type { MetricNullReason, MetricValue } from '../src/metrics/metric-definition.js';
import type { RepositoryFacts } from '../src/metrics/repository-facts.js';
import { at, days, factsBuilder } from './support/metric-facts-builder.js';

const now = at('2024-07-01T00:00:00Z');
const ago = (count: number): number => now - days(count);

type Metrics = Record<string, number | MetricNullReason>;

/** Metric values as computed: a number, or the reason it is null. */
const metricValues = (metrics: Metrics): Record<string, MetricValue> =>
  Object.fromEntries(
    Object.entries(metrics).map(([name, value]) => [
      name,
      typeof value === 'number' ? { value } : { value: null, reason: value },
    ]),
  );

const health = (metrics: Metrics, facts: RepositoryFacts = factsBuilder().build()): HealthScore =>
  computeHealth(metricValues(metrics), facts, now);

const component = (score: HealthScore, name: string) => {
  const found = score.components.find((candidate) => candidate.name === name);
  assert.ok(found, name);
  return found;
};

// Every input's scale, from docs/METRICS.md's "100 when" and "0 when" columns:
//   commits_90d                       0 → 0,      26 → 100
//   days_since_last_commit            365 → 0,    14 → 100
//   contributors_90d                  1 → 0,      10 → 100
//   bus_factor_365d                   1 → 0,      4 → 100
//   first_response_median_hours_90d   720 → 0,    24 → 100
//   change_request_closure_ratio_90d  0 → 0,      0.9 → 100
//   days_since_last_release           365 → 0,    90 → 100 (never released → 0 on GitHub)
//   code_review_ratio_90d             0 → 0,      0.9 → 100
//   stars_gained_30d                  0 → 0,      min(50, 1 % of stars) → 100
const everyMetric: Metrics = {
  commits_90d: 31, // ≥ 26: 100
  days_since_last_commit: 3, // ≤ 14: 100                                   activity 100
  contributors_90d: 4, // (4 − 1) / (10 − 1) = 1/3: 33.33
  bus_factor_365d: 2, // (2 − 1) / (4 − 1) = 1/3: 33.33                     community 33.33
  first_response_median_hours_90d: 372, // (720 − 372) / (720 − 24) = 348 / 696: 50
  change_request_closure_ratio_90d: 0.45, // 0.45 / 0.9: 50                 responsiveness 50
  days_since_last_release: 310, // (365 − 310) / (365 − 90) = 55 / 275: 20
  code_review_ratio_90d: 0.95, // ≥ 0.9: 100                                maintenance (20 + 100) / 2 = 60
  stars: 4000,
  stars_gained_30d: 20, // target min(50, 40) = 40; 20 / 40: 50              growth 50
};

describe('health score', () => {
  test('is the weighted mean of the components, each the mean of its inputs on linear scales', () => {
    const score = health(everyMetric);
    assert.deepEqual(
      score.components.map(({ name, weight, score }) => [name, weight, score]),
      [
        ['activity', 25, 100],
        ['community', 25, 33.3],
        ['responsiveness', 20, 50],
        ['maintenance', 20, 60],
        ['growth', 10, 50],
      ],
    );
    // (25 · 100 + 25 · 33.33 + 20 · 50 + 20 · 60 + 10 · 50) / 100 = (2500 + 833.33 + 1000 + 1200 + 500) / 100
    // = 60.33, shown to one decimal.
    assert.equal(score.score, 60.3);
    assert.equal(score.renormalised, false);
    assert.equal(score.note, undefined);
    assert.deepEqual(component(score, 'community').inputs, [
      { metric: 'contributors_90d', value: 4, score: 33.3 },
      { metric: 'bus_factor_365d', value: 2, score: 33.3 },
    ]);
  });

  test('says in words why each component scores what it does', () => {
    const score = health(everyMetric);
    assert.equal(
      component(score, 'activity').reason,
      '31 commits in 90 days (≥ 26) and the last commit 3 days ago (≤ 14)',
    );
    assert.equal(
      component(score, 'community').reason,
      '4 contributors in 90 days (33 of 100: 0 at 1, 100 at ≥ 10) and a bus factor of 2 over 365 days (33 of 100: 0 at 1, 100 at ≥ 4)',
    );
    assert.equal(
      component(score, 'growth').reason,
      '20 stars gained in 30 days (50 of 100: 0 at 0, 100 at ≥ 40, 1 % of the stars)',
    );
  });

  test('is flat beyond the ends of each scale', () => {
    const score = health({
      ...everyMetric,
      commits_90d: 0,
      days_since_last_commit: 400,
      contributors_90d: 0,
    });
    assert.equal(component(score, 'activity').score, 0);
    assert.equal(
      component(score, 'activity').reason,
      '0 commits in 90 days (none: 0) and the last commit 400 days ago (≥ 365: 0)',
    );
    // contributors 0 (one person or none: 0), bus factor 33.33: 16.67.
    assert.equal(component(score, 'community').score, 16.7);
  });

  test('grows fully at 50 stars or 1 % of the stars, whichever is fewer, and not at all with no gain', () => {
    const growth = (metrics: Metrics) => component(health({ ...everyMetric, ...metrics }), 'growth').score;
    assert.equal(growth({ stars: 100_000, stars_gained_30d: 50 }), 100); // 1 % would be 1000; 50 is enough
    assert.equal(growth({ stars: 300, stars_gained_30d: 3 }), 100); // 1 % of 300
    assert.equal(growth({ stars: 300, stars_gained_30d: 0 }), 0);
    assert.equal(growth({ stars: 300, stars_gained_30d: -4 }), 0); // a loss is no gain
    assert.equal(growth({ stars: 0, stars_gained_30d: 0 }), 0);
    assert.equal(growth({ stars: 'no_count_history', stars_gained_30d: 25 }), 50); // target 50: 25 / 50
  });

  test('scores a GitHub repository that never released 0 for releases, and leaves a plain git one unknown', () => {
    const neverReleased = { ...everyMetric, days_since_last_release: 'no_releases' } as Metrics;
    // (0 + 100) / 2 = 50.
    assert.equal(component(health(neverReleased), 'maintenance').score, 50);
    assert.equal(
      component(health(neverReleased), 'maintenance').reason,
      'no release ever (0) and a code review ratio of 0.95 (≥ 0.9)',
    );
    const plainGit = factsBuilder().repository({ onGithub: false }).build();
    const maintenance = component(health(neverReleased, plainGit), 'maintenance');
    assert.deepEqual(maintenance.inputs[0], { metric: 'days_since_last_release', value: null, score: null });
    assert.equal(maintenance.score, 100); // the code review ratio alone
  });

  test('scores no response at all 0 once something has waited 30 days, and unknown before', () => {
    const metrics = { ...everyMetric, first_response_median_hours_90d: 'no_responses' } as Metrics;
    const waited = factsBuilder()
      .issue({ createdAt: ago(31) })
      .build();
    const recent = factsBuilder()
      .issue({ createdAt: ago(29) })
      .build();
    // Waited: (0 + 50) / 2 = 25. Recent: the closure ratio alone, 50.
    assert.equal(component(health(metrics, waited), 'responsiveness').score, 25);
    assert.equal(component(health(metrics, recent), 'responsiveness').score, 50);
  });

  test('leaves out components with no known input and renormalises the other weights', () => {
    // A plain git repository: every GitHub metric is unknown.
    const plainGit = factsBuilder().repository({ onGithub: false }).build();
    const score = health(
      {
        ...everyMetric,
        first_response_median_hours_90d: 'no_github_data',
        change_request_closure_ratio_90d: 'no_github_data',
        days_since_last_release: 'no_releases',
        code_review_ratio_90d: 'no_github_data',
        stars: 'no_github_data',
        stars_gained_30d: 'no_github_data',
      },
      plainGit,
    );
    assert.deepEqual(
      score.components.map(({ name, score }) => [name, score]),
      [
        ['activity', 100],
        ['community', 33.3],
        ['responsiveness', null],
        ['maintenance', null],
        ['growth', null],
      ],
    );
    // (25 · 100 + 25 · 33.33) / (25 + 25) = 3333.33 / 50 = 66.67.
    assert.equal(score.score, 66.7);
    assert.equal(score.renormalised, true);
    assert.equal(
      score.note,
      'Left out for want of data: responsiveness, maintenance and growth. The score is the weighted mean of the others, their weights (50 of 100) renormalised to 100.',
    );
    assert.equal(
      component(score, 'growth').reason,
      'left out, no input known: the stars gained in 30 days unknown (no_github_data)',
    );
  });

  test('scores an archived repository 0 for activity and maintenance, whatever their inputs', () => {
    const archived = factsBuilder().repository({ archived: true }).build();
    const score = health({ ...everyMetric, days_since_last_release: 'no_releases' }, archived);
    assert.equal(component(score, 'activity').score, 0);
    assert.equal(component(score, 'maintenance').score, 0);
    assert.equal(component(score, 'community').score, 33.3);
    // The inputs are still shown with their own scores.
    assert.deepEqual(component(score, 'activity').inputs[0], {
      metric: 'commits_90d',
      value: 31,
      score: 100,
    });
    assert.match(component(score, 'activity').reason, /^the repository is archived, which scores 0/);
    // (25 · 0 + 25 · 33.33 + 20 · 50 + 20 · 0 + 10 · 50) / 100 = (833.33 + 1000 + 500) / 100 = 23.33.
    assert.equal(score.score, 23.3);
    // Archived with no known maintenance input: still 0, not left out.
    const bare = health({ commits_90d: 31 }, archived);
    assert.equal(component(bare, 'maintenance').score, 0);
  });

  test('has no score when no component has a known input', () => {
    const score = health({});
    assert.equal(score.score, null);
    assert.equal(score.renormalised, false);
    assert.equal(score.note, 'No component has a known input: no score.');
    assert.equal(
      component(score, 'activity').reason,
      'left out, no input known: commits in 90 days unknown (not computed) and the days since the last commit unknown (not computed)',
    );
  });

  test('carries a version', () => {
    assert.equal(typeof healthScoreVersion, 'number');
  });
});

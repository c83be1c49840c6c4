import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { popularityMetrics } from '../src/metrics/definitions/popularity.js';
import { forks, stars, watchers } from '../src/metrics/definitions/popularity-counts.js';
import { forksGained30d, starsGained30d } from '../src/metrics/definitions/popularity-gains.js';
import type { MetricDefinition, MetricValue } from '../src/metrics/metric-definition.js';
import type { RepositoryFacts } from '../src/metrics/repository-facts.js';
import { at, factsBuilder, type TestTime } from './support/metric-facts-builder.js';

const compute = (metric: MetricDefinition, facts: RepositoryFacts, now: TestTime): MetricValue =>
  metric.compute(facts, at(now));

// A point of the daily series is computed at the end of its UTC day; the gains' 30-day window then starts
// 30 days earlier at the same time of day, e.g. now 2024-07-01T23:59:59Z → start 2024-06-01T23:59:59Z
// (30 days of June back from July 1).

describe('stars, forks and watchers', () => {
  const facts = factsBuilder()
    .repository({ stars: 130, forks: 12, watchers: 7 })
    .countsDaily({ day: '2024-06-28', stars: 100, forks: 10, watchers: null })
    .countsDaily({ day: '2024-06-30', stars: 110, forks: null, watchers: null })
    .countsDaily({ day: '2024-07-02', stars: 130, forks: 12, watchers: null })
    .build();

  test('are the latest snapshot at or before the day of now', () => {
    // No snapshot on 07-01: the 06-30 one.
    assert.deepEqual(compute(stars, facts, '2024-07-01T12:00:00Z'), { value: 110 });
    // The day's own snapshot (the day's last observation).
    assert.deepEqual(compute(stars, facts, '2024-07-02T05:00:00Z'), { value: 130 });
    // A snapshot that did not observe forks is passed over for forks: 06-28's 10.
    assert.deepEqual(compute(forks, facts, '2024-07-01T12:00:00Z'), { value: 10 });
  });

  test("fall back to the repository's current count only when no snapshot is later than now", () => {
    // No snapshot ever observed watchers; now is on the last snapshot's day: the current 7.
    assert.deepEqual(compute(watchers, facts, '2024-07-02T12:00:00Z'), { value: 7 });
    // Before the last snapshot the current count is not the count then.
    assert.deepEqual(compute(watchers, facts, '2024-07-01T12:00:00Z'), {
      value: null,
      reason: 'no_count_history',
    });
    // Without any snapshot, the current count.
    const unsnapshotted = factsBuilder().repository({ stars: 42 }).build();
    assert.deepEqual(compute(stars, unsnapshotted, '2024-07-01T12:00:00Z'), { value: 42 });
  });

  test('are unknown before the first snapshot, when never observed, and without GitHub', () => {
    assert.deepEqual(compute(stars, facts, '2024-06-27T23:59:59Z'), {
      value: null,
      reason: 'no_count_history',
    });
    assert.deepEqual(compute(stars, factsBuilder().build(), '2024-07-01'), {
      value: null,
      reason: 'no_github_data',
    });
    const plainGit = factsBuilder().repository({ onGithub: false, stars: 5 }).build();
    assert.deepEqual(compute(stars, plainGit, '2024-07-01'), { value: null, reason: 'no_github_data' });
  });
});

describe('stars_gained_30d and forks_gained_30d', () => {
  const now = '2024-07-01T23:59:59Z';

  test('are the count at now minus the count at the window’s start, net of unstars', () => {
    const facts = factsBuilder()
      .countsDaily({ day: '2024-06-01', stars: 100, forks: 50 })
      .countsDaily({ day: '2024-06-15', stars: 140, forks: 49 })
      .countsDaily({ day: '2024-07-01', stars: 95, forks: 47 })
      .build();
    // Stars 95 − 100 = −5 (the rise to 140 and the fall after it cancel out); forks 47 − 50 = −3.
    assert.deepEqual(compute(starsGained30d, facts, now), { value: -5 });
    assert.deepEqual(compute(forksGained30d, facts, now), { value: -3 });
  });

  test('take the start from the last snapshot before a gap', () => {
    const facts = factsBuilder()
      .countsDaily({ day: '2024-05-20', stars: 90 })
      .countsDaily({ day: '2024-07-01', stars: 130 })
      .build();
    // No snapshot on 06-01: the 05-20 one stands for it, 130 − 90 = 40.
    assert.deepEqual(compute(starsGained30d, facts, now), { value: 40 });
  });

  test('fall back to the star and fork facts when the snapshots begin inside the window', () => {
    const facts = factsBuilder()
      .countsDaily({ day: '2024-06-20', stars: 500, forks: 30 })
      .star({ starredAt: '2023-03-01T00:00:00Z' }) // before the window: the facts reach back
      .star({ starredAt: '2024-06-10T00:00:00Z' }) // +1
      .star({ starredAt: '2024-06-11T00:00:00Z' }) // +1
      .star({ starredAt: '2024-06-12T00:00:00Z', unstarredAt: '2024-06-13T00:00:00Z' }) // +1 −1
      .star({ starredAt: '2023-05-01T00:00:00Z', unstarredAt: '2024-06-20T00:00:00Z' }) // −1
      .star({ starredAt: '2024-06-01T23:59:59Z' }) // exactly at the window's start: +1
      .fork({ forkedAt: '2024-01-01T00:00:00Z' }) // before the window
      .fork({ forkedAt: '2024-06-05T00:00:00Z' }) // +1
      .fork({ forkedAt: '2024-06-25T00:00:00Z' }) // +1
      .build();
    // Stars: 1 + 1 + 1 − 1 − 1 + 1 = 2; forks: 2.
    assert.deepEqual(compute(starsGained30d, facts, now), { value: 2 });
    assert.deepEqual(compute(forksGained30d, facts, now), { value: 2 });
  });

  test('are unknown when neither snapshots nor facts reach back to the window’s start', () => {
    const facts = factsBuilder()
      .countsDaily({ day: '2024-06-20', stars: 500, forks: 30 })
      .star({ starredAt: '2024-06-10T00:00:00Z' }) // the facts begin inside the window
      .build();
    assert.deepEqual(compute(starsGained30d, facts, now), { value: null, reason: 'no_count_history' });
    assert.deepEqual(compute(forksGained30d, facts, now), { value: null, reason: 'no_count_history' });
  });

  test('count every star of a repository created inside the window as gained', () => {
    const facts = factsBuilder()
      .repository({ createdAt: '2024-06-15T00:00:00Z' })
      .countsDaily({ day: '2024-06-20', stars: 12, forks: 1 })
      .build();
    // Created after the window's start, it had 0 then: 12 − 0.
    assert.deepEqual(compute(starsGained30d, facts, now), { value: 12 });
  });

  test('are unknown without GitHub', () => {
    const facts = factsBuilder().repository({ onGithub: false }).build();
    assert.deepEqual(compute(starsGained30d, facts, now), { value: null, reason: 'no_github_data' });
  });
});

test('popularityMetrics lists the popularity metrics in docs/METRICS.md order', () => {
  assert.deepEqual(
    popularityMetrics.map(({ name }) => name),
    ['stars', 'forks', 'watchers', 'stars_gained_30d', 'forks_gained_30d'],
  );
});

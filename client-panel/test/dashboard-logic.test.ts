// The dashboards' pure logic, without a browser: what a URL asks for, what is sent to the API, how
// figures are written (their CSV is core's, tested in core/test/csv.test.ts). The browser test covers the
// same through the pages; these name the edges.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readSelection } from '../ui/src/dashboards/compare/compare-selection.js';
import { timeWindowOf, timeWindowQuery, timeWindowUrlQuery } from '../ui/src/dashboards/time-window.js';
import { formatHours, formatNumber, formatShare } from '../ui/src/ui/format.js';

describe('time window', () => {
  test('a URL without range or interval, or with unknown ones, is a year by week', () => {
    for (const query of ['', 'range=12d&interval=hour', 'range=__proto__']) {
      assert.deepEqual(timeWindowOf(new URLSearchParams(query)), { range: '365d', interval: 'week' });
    }
    assert.deepEqual(timeWindowOf(new URLSearchParams('range=90d&interval=month')), {
      range: '90d',
      interval: 'month',
    });
  });

  test('the default range sends no `from` (the API default, one cache entry); others start 89 days back', () => {
    const now = new Date('2026-03-01T23:59:59Z');
    assert.deepEqual(timeWindowQuery({ range: '365d', interval: 'day' }, now), { interval: 'day' });
    // [from, end of today): 90 UTC days ending 2026-03-01 start on 2025-12-02.
    assert.deepEqual(timeWindowQuery({ range: '90d', interval: 'week' }, now), {
      from: '2025-12-02',
      interval: 'week',
    });
  });

  test('defaults are left out of the view URL, so plain links stay plain', () => {
    assert.deepEqual(timeWindowUrlQuery({ range: '365d', interval: 'week' }), {
      range: undefined,
      interval: undefined,
    });
    assert.deepEqual(timeWindowUrlQuery({ range: '730d', interval: 'day' }), {
      range: '730d',
      interval: 'day',
    });
  });
});

describe('compare selection', () => {
  test('two to five owner/name, separated by commas or spaces, repeats counted once', () => {
    assert.deepEqual(readSelection('acme/rockets, globex/radar acme/rockets'), {
      repositories: ['acme/rockets', 'globex/radar'],
    });
  });

  test('says in words what is wrong: a malformed name, too few, too many', () => {
    assert.deepEqual(readSelection('acme/rockets,not-a-repository'), {
      problem: 'Name each repository as owner/name: not-a-repository',
    });
    assert.deepEqual(readSelection('acme/rockets'), {
      problem: 'Name 2 to 5 repositories to compare (you named 1).',
    });
    assert.match((readSelection('a/1,a/2,a/3,a/4,a/5,a/6') as { problem: string }).problem, /you named 6/);
  });
});

describe('figures', () => {
  test('numbers in English whatever the locale, unknown as a dash, never 0', () => {
    assert.equal(formatNumber(1234.56), '1,234.6');
    assert.equal(formatNumber(1_000_000), '1,000,000');
    for (const unknown of [null, undefined, Number.NaN]) assert.equal(formatNumber(unknown), '—');
    assert.equal(formatShare(0.1666), '16.7%');
  });

  test('durations in hours under two days, in days from there', () => {
    assert.equal(formatHours(6), '6 h');
    assert.equal(formatHours(47.9), '47.9 h');
    assert.equal(formatHours(48), '2 days');
    assert.equal(formatHours(30 * 24 + 12), '30.5 days');
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTask, parse } from 'node-cron';
import { latestOccurrence } from '../src/latest-occurrence.js';

/** The latest occurrence of `expression` in (after, upTo], as the catch-up reckons it. */
function latest(expression: string, after: string, upTo: string, timezone = 'UTC'): string | undefined {
  const task = createTask(expression, () => undefined, { timezone });
  try {
    return latestOccurrence(task, parse(expression).second, {
      after: new Date(after),
      upTo: new Date(upTo),
    })?.toISOString();
  } finally {
    void task.destroy();
  }
}

describe('the latest occurrence of a schedule within a range', () => {
  test('finds the last whole minute of an every-minute schedule', () => {
    assert.equal(
      latest('* * * * *', '2026-12-03T08:00:00Z', '2026-12-03T08:10:42.500Z'),
      '2026-12-03T08:10:00.000Z',
    );
  });

  test('finds the last second of a per-second schedule, and the named seconds of a six-field one', () => {
    assert.equal(
      latest('* * * * * *', '2026-12-03T08:00:00Z', '2026-12-03T08:10:42.500Z'),
      '2026-12-03T08:10:42.000Z',
    );
    assert.equal(
      latest('15,45 * * * * *', '2026-12-03T08:00:00Z', '2026-12-03T08:10:42Z'),
      '2026-12-03T08:10:15.000Z',
    );
  });

  test('reads the schedule in its time zone (09:00 in Prague is 08:00 UTC in winter)', () => {
    assert.equal(
      latest('0 9 * * MON-FRI', '2026-11-20T00:00:00Z', '2026-12-06T12:00:00Z', 'Europe/Prague'),
      '2026-12-04T08:00:00.000Z',
      'Saturday and Sunday are skipped back to Friday',
    );
  });

  test('counts an occurrence exactly at upTo, never one at or before after', () => {
    assert.equal(
      latest('0 * * * *', '2026-12-03T07:00:00Z', '2026-12-03T08:00:00Z'),
      '2026-12-03T08:00:00.000Z',
    );
    assert.equal(latest('0 * * * *', '2026-12-03T08:00:00Z', '2026-12-03T08:59:59Z'), undefined);
  });

  test('finds a monthly occurrence weeks back, and none beyond the lookback', () => {
    assert.equal(
      latest('30 2 1 * *', '2026-01-01T00:00:00Z', '2026-12-03T08:00:00Z'),
      '2026-12-01T02:30:00.000Z',
    );
    assert.equal(latest('0 0 1 1 *', '2020-01-01T00:00:00Z', '2026-12-03T08:00:00Z'), undefined);
  });
});

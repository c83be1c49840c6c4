import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BadRequestError } from '@repopulse/core';
import { parseInstant } from '../src/time-range/parse-instant.js';
import { countBuckets, resolveTimeRange } from '../src/time-range/time-range.js';

const iso = (text: string) => parseInstant(text)?.toISOString();

describe('parseInstant', () => {
  test('reads a plain date as midnight UTC', () => {
    assert.equal(iso('2024-02-29'), '2024-02-29T00:00:00.000Z');
  });

  test('reads RFC 3339 date-times with any offset, fraction and case', () => {
    assert.equal(iso('2024-03-01T01:00:00+02:00'), '2024-02-29T23:00:00.000Z');
    assert.equal(iso('2024-03-01T00:00:00-05:30'), '2024-03-01T05:30:00.000Z');
    assert.equal(iso('2024-03-01t12:34:56.789123z'), '2024-03-01T12:34:56.789Z');
    assert.equal(iso('2016-12-31T23:59:60Z'), '2017-01-01T00:00:00.000Z');
  });

  test('keeps years below 100 as written instead of reading them as 19xx', () => {
    assert.equal(iso('0099-06-01'), '0099-06-01T00:00:00.000Z');
  });

  test('refuses days the calendar does not have and malformed text', () => {
    for (const text of [
      '2023-02-29',
      '2024-04-31',
      '2024-00-10',
      '2024-03-01T24:00:00Z',
      '2024-03-01T12:60:00Z',
      '2024-03-01T12:00:00+24:00',
      '2024-03-01T12:00:00',
      '2024-03-01T12:00:00 02:00',
      '2024-3-1',
      '0000-06-01',
      'now',
      '',
    ]) {
      assert.equal(parseInstant(text), undefined, text);
    }
  });
});

describe('countBuckets', () => {
  const at = (text: string) => new Date(text);

  test('counts the bucket holding from through the one holding the last millisecond before to', () => {
    assert.equal(countBuckets(at('2024-03-01T00:00:00Z'), at('2024-03-02T00:00:00Z'), 'day'), 1);
    assert.equal(countBuckets(at('2024-03-01T23:00:00Z'), at('2024-03-02T00:00:00.001Z'), 'day'), 2);
  });

  test('starts weeks on Monday, across a year boundary too', () => {
    // Sunday 2023-12-31 and Monday 2024-01-01 sit in two weeks.
    assert.equal(countBuckets(at('2023-12-31T12:00:00Z'), at('2024-01-01T12:00:00Z'), 'week'), 2);
    assert.equal(countBuckets(at('2024-01-01T00:00:00Z'), at('2024-01-08T00:00:00Z'), 'week'), 1);
    assert.equal(countBuckets(at('1969-12-29T00:00:00Z'), at('1970-01-05T00:00:00Z'), 'week'), 1);
  });

  test('starts months on the 1st', () => {
    assert.equal(countBuckets(at('2024-02-29T00:00:00Z'), at('2024-03-01T00:00:01Z'), 'month'), 2);
    assert.equal(countBuckets(at('2023-12-15T00:00:00Z'), at('2024-12-15T00:00:00Z'), 'month'), 13);
  });
});

describe('resolveTimeRange', () => {
  const now = new Date('2024-06-01T12:00:00Z');

  test('defaults to to the end of the current UTC day and from 365 days earlier', () => {
    const range = resolveTimeRange({ interval: 'week' }, now);
    assert.equal(range.to.toISOString(), '2024-06-02T00:00:00.000Z');
    assert.equal(range.from.toISOString(), '2023-06-03T00:00:00.000Z');
  });

  test('names from when the default from would fall before year 1', () => {
    assert.throws(
      () => resolveTimeRange({ to: '0001-03-01', interval: 'month' }, now),
      (error: unknown) => error instanceof BadRequestError && error.extensions.parameter === 'from',
    );
  });
});

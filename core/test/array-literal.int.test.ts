import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { arrayLiteral } from '../src/db/array-literal.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

const awkward = [
  '',
  'plain',
  'a "quoted" word',
  'back\\slash',
  '\\"',
  'comma, and {braces}',
  'NULL',
  ' spaced ',
  'ünï©ødé 🚀',
  'line\nbreak',
  "it's",
];

describe('array literals (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let client: pg.Client;

  before(async () => {
    testDatabase = await createTestDatabase();
    // A bare pg client: the literal against pg's own conversion of the same array, side by side.
    client = new pg.Client({ connectionString: testDatabase.url });
    await client.connect();
  });
  after(async () => {
    await client.end();
    await testDatabase.drop();
  });

  const cases: Array<[string, unknown[]]> = [
    ['text', [...awkward, null, undefined]],
    ['integer', [0, -1, 2_147_483_647, null]],
    ['bigint', ['9007199254740993', 12, null]],
    ['boolean', [true, false, null]],
    ['timestamptz', ['2026-03-01T23:59:59.999+02:00', null, '2026-03-02T00:00:00Z']],
    ['date', ['2026-03-01', null]],
    ['text', []],
  ];
  for (const [type, values] of cases) {
    test(`a ${type}[] reads back as pg's own conversion of it does`, async () => {
      const literal = arrayLiteral(values);
      assert.equal(typeof literal, 'string');
      const { rows } = await client.query<{ same: boolean; ours: unknown; theirs: unknown }>(
        `SELECT $1::${type}[] IS NOT DISTINCT FROM $2::${type}[] AS same, $1::${type}[]::text AS ours, $2::${type}[]::text AS theirs`,
        [literal, values],
      );
      assert.equal(rows[0]!.ours, rows[0]!.theirs);
      assert.equal(rows[0]!.same, true);
    });
  }

  test('leaves arrays holding anything but scalars to pg', () => {
    assert.equal(arrayLiteral([new Date(0)]), undefined);
    assert.equal(arrayLiteral([['nested']]), undefined);
    assert.equal(arrayLiteral(['a', null, 3, true]), '{"a",NULL,3,true}');
    assert.equal(arrayLiteral(['say "hi"', 'c:\\dir']), '{"say \\"hi\\"","c:\\\\dir"}');
  });
});

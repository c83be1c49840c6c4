import { prepared, type Queryable } from '@repopulse/core';
import type { ActivityColumn } from '../activity/activity-columns.js';
import type { TouchedDays } from '../activity/touched-days.js';

/** A fact change with the repository it belongs to. */
export interface RepositoryFact<Fact> {
  repositoryId: string;
  fact: Fact;
}

/** A row the statements return: the fact's repository, key and the times that place it on activity days. */
export interface WrittenRow {
  repository_id: string;
}

/**
 * The statements that write one fact kind set-based, each taking arrays (one element per change):
 * - `insertNew` inserts the facts not stored yet (`ON CONFLICT DO NOTHING`), returning them (or, with
 *   `newRow`, only their key columns: the row is then the change itself, as inserted);
 * - `stored.lock` locks and reads the stored ones (their key columns as parameters), in key order: their
 *   times before the write, exact because no one else can change them until commit;
 * - `stored.upsert` writes those with the single-row upsert's own `ON CONFLICT DO UPDATE`.
 * A fact that `insertNew` did not insert is stored (possibly by a transaction that committed meanwhile).
 * The texts are constants (module-level, one object per fact kind): they run as prepared statements.
 */
export interface FactStatements<Fact, Row extends WrittenRow> {
  keyOf(fact: Fact): Array<string | number>;
  keyOfRow(row: Row): Array<string | number>;
  parameters(round: ReadonlyArray<RepositoryFact<Fact>>): unknown[];
  insertNew: string;
  /**
   * The row `insertNew` writes for a change, where that is the change's own values: `insertNew` then need
   * return only the key columns, and no stored value comes back to be parsed.
   */
  newRow?(item: RepositoryFact<Fact>): Row;
  stored?: {
    keyParameters(round: ReadonlyArray<RepositoryFact<Fact>>): unknown[];
    lock: string;
    upsert: string;
  };
  /** The times whose UTC days the activity rollup counts the fact on. */
  times(row: Row): Array<Date | string | null>;
  /** Where the row is counted in the activity rollup: a column and the time whose UTC day it falls on. */
  counts(row: Row): Array<[ActivityColumn, Date | string | null]>;
}

/**
 * Writes many changes of one fact kind, with the effect of writing them one at a time in order. Changes
 * go into rounds in which no fact repeats (the k-th change of a fact into round k): one `INSERT … ON
 * CONFLICT DO UPDATE` cannot touch a row twice, and a fact's second change must see its first. Each round
 * is one statement when all its facts are new, three when some are stored. The days touched are those of
 * each fact's times before and after, as the single-row upserts record them; beside them, each fact's
 * counts before (−1) and after (+1) the write, exact since a stored fact is read under its row lock.
 */
export async function writeInRounds<Fact, Row extends WrittenRow>(
  transaction: Queryable,
  statements: FactStatements<Fact, Row>,
  changes: ReadonlyArray<RepositoryFact<Fact>>,
  touched: TouchedDays,
): Promise<void> {
  const keyOf = (item: RepositoryFact<Fact>) => factKey(item.repositoryId, statements.keyOf(item.fact));
  for (const round of splitIntoRounds(changes, keyOf)) {
    const items = round.map(([item]) => item);
    const inserted = await transaction.query<Row>(
      prepared(statements.insertNew),
      statements.parameters(items),
    );
    const insertedKeys = new Set<string>();
    for (const row of inserted.rows) {
      insertedKeys.add(factKey(row.repository_id, statements.keyOfRow(row)));
      if (statements.newRow === undefined) record(row, 1);
    }
    const stored: Array<RepositoryFact<Fact>> = [];
    for (const [item, key] of round) {
      if (!insertedKeys.has(key)) stored.push(item);
      else if (statements.newRow !== undefined) record(statements.newRow(item), 1);
    }
    if (stored.length === 0 || statements.stored === undefined) continue;
    const before = await transaction.query<Row>(
      prepared(statements.stored.lock),
      statements.stored.keyParameters(stored),
    );
    const after = await transaction.query<Row>(
      prepared(statements.stored.upsert),
      statements.parameters(stored),
    );
    for (const row of before.rows) record(row, -1);
    for (const row of after.rows) record(row, 1);
  }

  function record(row: Row, sign: 1 | -1): void {
    touched.add(row.repository_id, ...statements.times(row));
    for (const [column, at] of statements.counts(row)) touched.count(row.repository_id, column, at, sign);
  }
}

/**
 * Splits a batch into rounds in which no key appears twice, keeping the batch's order: the k-th change of
 * a key goes into round k. Each item comes with its key, computed once.
 */
export function splitIntoRounds<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
): Array<Array<[T, string]>> {
  const rounds: Array<Array<[T, string]>> = [];
  const seen = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item);
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    (rounds[round] ??= []).push([item, key]);
  }
  return rounds;
}

/**
 * A fact's natural key as a string, equal for a change and for the row PostgreSQL returns for it: parts
 * joined by NUL, which no text PostgreSQL stores can hold (so no part can run into the next), text as
 * PostgreSQL stores it (UTF-8, so a lone surrogate becomes U+FFFD). Built for every change and every row
 * written, so it is kept cheap.
 */
function factKey(repositoryId: string, parts: Array<string | number>): string {
  let key = repositoryId;
  for (const part of parts) key += `\u0000${typeof part === 'string' ? asStored(part) : part}`;
  return key;
}

const surrogate = /[\uD800-\uDFFF]/;

function asStored(text: string): string {
  return surrogate.test(text) ? Buffer.from(text, 'utf8').toString('utf8') : text;
}

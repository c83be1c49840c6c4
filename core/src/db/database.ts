import pg from 'pg';
import type { Logger } from '../logging/index.js';
import { withArrayLiterals } from './array-literal.js';
import { isTransientDatabaseError } from './database-errors.js';
import { preparedName } from './prepared-statements.js';

export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

/** What a handler or store needs from PostgreSQL: parameterised queries, nothing more. */
export interface Queryable {
  query<Row = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<QueryResult<Row>>;
}

export interface Database extends Queryable {
  /** Runs `work` in one transaction; transient failures (serialisation, deadlock, restart) rerun it whole. */
  transaction<T>(work: (transaction: Queryable) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  /** Ends the pool. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * A query for pg: named when its text was marked `prepared`, so each connection prepares it once; arrays of
 * scalars sent as the literals pg would make of them, made faster (`arrayLiteral`).
 */
function queryConfig(text: string, values: readonly unknown[] | undefined): pg.QueryConfig {
  const name = preparedName(text);
  return {
    text,
    values: values === undefined ? undefined : withArrayLiterals(values),
    ...(name === undefined ? {} : { name }),
  };
}

export interface DatabaseOptions {
  url: string;
  logger: Logger;
  maxConnections?: number;
  applicationName?: string;
  statementTimeoutMs?: number;
}

export function createDatabase(options: DatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName,
    statement_timeout: options.statementTimeoutMs,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', (error) => options.logger.warn('idle database connection failed', { error }));
  let closed: Promise<void> | undefined;

  async function query<Row>(text: string, values?: readonly unknown[]): Promise<QueryResult<Row>> {
    const result = await pool.query(queryConfig(text, values));
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
  }

  /**
   * A client of the pool's with an 'error' listener from the moment it is handed over. A checked-out client
   * has no listener of the pool's, and the server ending its session (a restart, pg_terminate_backend)
   * emits 'error' on it, which unheard would end the process. With `await pool.connect()` the listener
   * would come a microtask late, and the FATAL message may already be in the same read as the previous
   * user's last answer: the callback form attaches it synchronously.
   */
  function checkOut(onError: (error: Error) => void): Promise<pg.PoolClient> {
    return new Promise((resolve, reject) => {
      pool.connect((error, client) => {
        if (error || !client) {
          reject(error ?? new Error('no database connection'));
          return;
        }
        client.on('error', onError);
        resolve(client);
      });
    });
  }

  async function transactionOnce<T>(work: (transaction: Queryable) => Promise<T>): Promise<T> {
    let broken = false;
    // The query under way fails with the lost connection anyway; the client is dropped, not reused.
    const onError = (error: Error) => {
      broken = true;
      options.logger.warn('database connection lost during a transaction', { error: error.message });
    };
    const client = await checkOut(onError);
    try {
      await client.query('BEGIN');
      const transaction: Queryable = {
        async query<Row>(text: string, values?: readonly unknown[]) {
          const result = await client.query(queryConfig(text, values));
          return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
        },
      };
      const result = await work(transaction);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw error;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  return {
    query,
    async transaction(work) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await transactionOnce(work);
        } catch (error) {
          if (attempt >= 5 || !isTransientDatabaseError(error)) throw error;
          const delay = Math.min(2_000, 50 * 2 ** attempt) * (0.5 + Math.random());
          options.logger.warn('transient database error, retrying transaction', {
            attempt,
            delay,
            code: (error as { code?: string }).code,
          });
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
}

// Runs the engine's own `metrics.compute` handler for one repository, as the queue worker would (a
// synthetic envelope, a transaction of its own), and splits its time into load, compute and store.
import { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import {
  createEnvelope,
  createLogger,
  type Database,
  type Queryable,
  type QueryResult,
} from '@repopulse/core';
import { createMetricsComputeHandler } from '../../integration-engine/src/metrics/handle-metrics-compute.js';

export interface ComputeTiming {
  /** BEGIN to COMMIT, as the worker's transaction. */
  totalMs: number;
  /** The repository's state, the fact queries (`loadRepositoryFacts`) and turning the rows into facts. */
  loadMs: number;
  /** Of `loadMs`, the queries alone (PostgreSQL, the wire, pg parsing the rows). */
  loadQueriesMs: number;
  /** Every metric now and at each day of the series, as the handler itself logs it (`computedMs`). */
  computeMs: number;
  /** Building the rows, the snapshot and points upserts, clearing the dirty mark. */
  storeMs: number;
  /** BEGIN, waiting for a connection and COMMIT. */
  commitMs: number;
  /** Days of the series computed, and rows written to `metric_points`. */
  days: number;
  points: number;
}

interface LoggedComputation {
  computedMs: number;
  days: number;
  points: number;
}

/**
 * The handler's own log is how its compute time is read: it logs `metrics computed` with `computedMs`
 * (compute only, its load and store left out) once per repository.
 */
function logReader(): {
  logger: ReturnType<typeof createLogger>;
  take(repositoryId: string): LoggedComputation;
} {
  const computations = new Map<string, LoggedComputation>();
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) {
        if (!line.includes('"metrics computed"')) continue;
        const entry = JSON.parse(line) as LoggedComputation & { repositoryId: string };
        computations.set(entry.repositoryId, entry);
      }
      callback();
    },
  });
  return {
    logger: createLogger({ level: 'info', module: 'bench', stream }),
    take(repositoryId) {
      const computation = computations.get(repositoryId);
      if (!computation) throw new Error(`the handler logged no computation for repository ${repositoryId}`);
      computations.delete(repositoryId);
      return computation;
    },
  };
}

interface QueryClock {
  loadQueriesMs: number;
  /** When the first write started: the load and compute are over by then. */
  firstWriteAt: number | undefined;
}

/** The transaction with every query timed: reads count as load, the first write starts the store. */
function timedQueries(transaction: Queryable, clock: QueryClock): Queryable {
  return {
    async query<Row>(text: string, values?: readonly unknown[]): Promise<QueryResult<Row>> {
      const started = performance.now();
      const write = /^\s*(INSERT|UPDATE|DELETE)\b/i.test(text);
      if (write) clock.firstWriteAt ??= started;
      const result = await transaction.query<Row>(text, values);
      if (!write) clock.loadQueriesMs += performance.now() - started;
      return result;
    },
  };
}

/** The handler at a fixed `now`, and a way to run it for one repository with its time split. */
export function createTimedMetricsCompute(now: number) {
  const handler = createMetricsComputeHandler({ now: () => now });
  const log = logReader();
  return async function computeMetrics(database: Database, repositoryId: string): Promise<ComputeTiming> {
    const clock: QueryClock = { loadQueriesMs: 0, firstWriteAt: undefined };
    let handlerStarted = 0;
    let handlerEnded = 0;
    const started = performance.now();
    await database.transaction(async (transaction) => {
      clock.loadQueriesMs = 0;
      clock.firstWriteAt = undefined;
      handlerStarted = performance.now();
      await handler({
        envelope: createEnvelope('metrics.compute', { repositoryId }),
        transaction: timedQueries(transaction, clock),
        logger: log.logger,
      });
      handlerEnded = performance.now();
    });
    const totalMs = performance.now() - started;
    // winston hands the line to the stream asynchronously; the COMMIT's round trip has let it through.
    await new Promise((resolve) => setImmediate(resolve));
    const logged = log.take(repositoryId);
    const firstWriteAt = clock.firstWriteAt ?? handlerEnded;
    return {
      totalMs,
      loadMs: firstWriteAt - handlerStarted - logged.computedMs,
      loadQueriesMs: clock.loadQueriesMs,
      computeMs: logged.computedMs,
      storeMs: handlerEnded - firstWriteAt,
      commitMs: totalMs - (handlerEnded - handlerStarted),
      days: logged.days,
      points: logged.points,
    };
  };
}

export type ComputeMetrics = ReturnType<typeof createTimedMetricsCompute>;

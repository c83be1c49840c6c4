// A diagnostic beside the ingest-throughput benchmark: `npm run bench:ingest-cpu`. Runs the `ingest.events`
// path in this process — the envelope parsed from its bytes, the handler in a transaction with its inbox
// and outbox rows, `BENCH_CONCURRENCY` (4) batches at once — over the benchmark's dataset, each run into a
// fresh database, and prints the CPU it cost per event on each side: this Node process
// (`process.cpuUsage`) and the PostgreSQL backends of the run's database (from /proc). No broker, no
// target: it says where the engine's time goes, and whether a change moved it.
import { readFileSync } from 'node:fs';
import {
  createEnvelope,
  createGenericEventBatchValidator,
  encodeEnvelope,
  parseEnvelope,
  writeToOutbox,
  type Queryable,
} from '@repopulse/core';
import { createTestDatabase, testLogger } from '@repopulse/core/testing';
import { createIngestEventsHandler } from '../../integration-engine/src/ingest-events/handle-ingest-events.js';
import { generateDataset } from './generate-events.js';

const events = Number(process.env.BENCH_EVENTS ?? 100_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4);
const runs = Number(process.env.BENCH_ROUNDS ?? 3);
const clockTicksPerSecond = 100;

/** CPU seconds of the backends serving `database`'s database, read from /proc (they run on this host). */
async function backendCpuMs(database: Queryable): Promise<number> {
  const { rows } = await database.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
  );
  let total = 0;
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop()!.trim().split(' ');
      total += ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
    } catch {
      // A backend that ended meanwhile: its CPU is lost to the count (none end during a run).
    }
  }
  return total;
}

const dataset = generateDataset({ events, batchSize: 500, repositories: 50, repositoriesPerBatch: 1 });
const messages = dataset.batches.map((batch) => encodeEnvelope(createEnvelope('ingest.events', batch)));
const handler = createIngestEventsHandler(createGenericEventBatchValidator(100_000), 5_000);
const logger = testLogger();
console.log(
  `ingest.events in-process: ${events} events in ${messages.length} batches, ${concurrency} at once, ${runs} runs ` +
    '(the first includes compiling the code)\n',
);
for (let run = 1; run <= runs; run++) {
  const testDatabase = await createTestDatabase();
  try {
    const pending = [...messages];
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let message = pending.shift(); message; message = pending.shift()) {
          const envelope = parseEnvelope(message);
          await testDatabase.database.transaction(async (transaction) => {
            await transaction.query(
              'INSERT INTO processed_messages (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
              ['ingest.events', envelope.id],
            );
            const followUps = (await handler({ envelope, transaction, logger })) ?? [];
            await writeToOutbox(
              transaction,
              followUps.map((followUp) => ({
                routingKey: followUp.type,
                coalesceKey: followUp.coalesceKey,
                delayMs: followUp.delayMs,
                envelope: createEnvelope(followUp.type, followUp.payload),
              })),
            );
          });
        }
      }),
    );
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const nodeMs = (cpu.user + cpu.system) / 1000;
    const postgresMs = await backendCpuMs(testDatabase.database);
    const perEvent = (cpuMs: number) => ((cpuMs * 1000) / events).toFixed(1);
    console.log(
      `run ${run}: ${((events / ms) * 1000).toFixed(0).padStart(6)} events/s; CPU per event: Node ${perEvent(nodeMs)} µs ` +
        `(system ${perEvent(cpu.system / 1000)}), PostgreSQL ${perEvent(postgresMs)} µs`,
    );
  } finally {
    await testDatabase.drop();
  }
}

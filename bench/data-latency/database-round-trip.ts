// The same-run reference of the latency benchmark: how long the database itself takes, under the same
// load, to store one commit and answer a count that includes it — the floor under any data path.
import { randomBytes } from 'node:crypto';
import { createDatabase, createLogger } from '@repopulse/core';

export interface RoundTripSampler {
  /** Stops sampling; resolves with each round trip's milliseconds. */
  stop(): Promise<number[]>;
}

export async function startRoundTripSampler(
  databaseUrl: string,
  intervalMs: number,
): Promise<RoundTripSampler> {
  const database = createDatabase({
    url: databaseUrl,
    logger: createLogger({ level: 'error', module: 'bench', silent: true }),
    maxConnections: 1,
  });
  const { rows } = await database.query<{ id: string }>(
    `INSERT INTO repositories (host, owner, name) VALUES ('github.com', 'bench-reference', 'direct')
     RETURNING repositories.id::text AS id`,
  );
  const repositoryId = rows[0]!.id;
  const samples: number[] = [];
  let stopped = false;
  const sampling = (async () => {
    while (!stopped) {
      const started = performance.now();
      await database.query('INSERT INTO commits (repository_id, sha, authored_at) VALUES ($1, $2, now())', [
        repositoryId,
        randomBytes(20).toString('hex'),
      ]);
      await database.query(
        `SELECT count(*) FROM commits WHERE commits.repository_id = $1 AND commits.authored_at >= current_date`,
        [repositoryId],
      );
      samples.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await sampling;
      await database.close();
      return samples;
    },
  };
}

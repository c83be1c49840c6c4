// The baseline of the ingest-throughput benchmark: the same fact rows written with a plain COPY, the
// fastest way into PostgreSQL, through psql (no COPY stream client is installed) in one transaction.
import { spawn } from 'node:child_process';
import type { Queryable } from '@repopulse/core';
import { benchOwner, type Dataset, type FactRows } from './generate-events.js';

/** Creates the dataset's repositories (not timed: the facts need their ids); returns id by name. */
export async function insertRepositories(database: Queryable, names: string[]): Promise<Map<string, string>> {
  const { rows } = await database.query<{ id: string; name: string }>(
    `INSERT INTO repositories (host, owner, name) SELECT 'github.com', $1, names.name FROM unnest($2::text[]) AS names (name)
     RETURNING repositories.id::text AS id, repositories.name`,
    [benchOwner, names],
  );
  return new Map(rows.map((row) => [row.name, row.id]));
}

function csvField(value: string | number): string {
  return typeof value === 'number' ? String(value) : `"${value.replaceAll('"', '""')}"`;
}

function copyBlock(table: string, columns: string[], lines: Array<Array<string | number>>): string {
  const data = lines.map((line) => line.map(csvField).join(',')).join('\n');
  return `COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv);\n${data}\n\\.\n`;
}

/** A psql script of three COPYs, their rows inline, as pg_dump writes them. */
export function copyScript(rows: FactRows, repositoryIds: Map<string, string>): string {
  const id = (name: string) => repositoryIds.get(name)!;
  const openedColumns = ['repository_id', 'number', 'title', 'author_login', 'state', 'created_at'];
  const opened = (table: string, list: FactRows['issues']) =>
    copyBlock(
      table,
      [...openedColumns, 'state_changed_at'],
      list.map((row) => [
        id(row.repository),
        row.number,
        row.title,
        row.authorLogin,
        'open',
        row.createdAt,
        row.createdAt,
      ]),
    );
  return [
    copyBlock(
      'commits',
      [
        'repository_id',
        'sha',
        'authored_at',
        'author_name',
        'author_email',
        'message',
        'additions',
        'deletions',
      ],
      rows.commits.map((row) => [
        id(row.repository),
        row.sha,
        row.authoredAt,
        row.authorName,
        row.authorEmail,
        row.message,
        row.additions,
        row.deletions,
      ]),
    ),
    opened('pull_requests', rows.pullRequests),
    opened('issues', rows.issues),
  ].join('');
}

/** Runs the script in one transaction (`psql -1`) and resolves with the wall time in milliseconds. */
export async function runCopy(databaseUrl: string, script: string): Promise<number> {
  const started = performance.now();
  const child = spawn('psql', ['-X', '-q', '-1', '-v', 'ON_ERROR_STOP=1', '-d', databaseUrl], {
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  child.stdin.end(script);
  const code = await exited;
  if (code !== 0) throw new Error(`psql COPY exited with ${code}`);
  return performance.now() - started;
}

/** One baseline round: the dataset's rows into a fresh database's fact tables; events per second. */
export async function copyRound(
  database: Queryable,
  databaseUrl: string,
  dataset: Dataset,
): Promise<{ eventsPerSecond: number; ms: number }> {
  const repositoryIds = await insertRepositories(database, dataset.repositories);
  const script = copyScript(dataset.rows, repositoryIds);
  const ms = await runCopy(databaseUrl, script);
  return { eventsPerSecond: dataset.events / (ms / 1_000), ms };
}

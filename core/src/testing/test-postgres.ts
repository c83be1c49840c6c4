import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { ensureDatabaseExists, migrateDatabase } from '../db/index.js';
import { createLogger } from '../logging/index.js';

const run = promisify(execFile);

/** PostgreSQL 15's binaries, as Debian installs them; `TEST_POSTGRES_BIN` names another directory. */
const binaries = process.env.TEST_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

export interface TestPostgres {
  /** The server without a database: `postgres://root@127.0.0.1:<port>`. */
  serverUrl: string;
  /** The migrated database `repopulse` on it. */
  url: string;
  port: number;
  /** A fast shutdown (as `pg_ctl stop -m fast`, what a restart does): sessions are ended, data kept. */
  stop(): Promise<void>;
  /** Starts the server again on the same port and resolves once it accepts connections. */
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Stops the server and deletes its data directory. Safe to call twice. */
  remove(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user. */
function asServerUser(command: string, args: readonly string[]): [string, string[]] {
  return userInfo().uid === 0
    ? ['runuser', ['-u', 'postgres', '--', command, ...args]]
    : [command, [...args]];
}

/** Small, quick and not durable: the server lives for one test file. */
const serverSettings = [
  'listen_addresses=127.0.0.1',
  'unix_socket_directories=',
  'fsync=off',
  'synchronous_commit=off',
  'full_page_writes=off',
  'max_connections=300',
  'shared_buffers=32MB',
];

/**
 * Runs the server (`$3…`) and stops it (a fast shutdown) once the test process (`$1`) is gone, then removes
 * its directory (`$2`): a test file killed at its timeout runs no cleanup, and its server must not outlive it.
 */
const watchdogScript = [
  'parent=$1; directory=$2; shift 2',
  '"$@" & server=$!',
  "trap 'kill -INT $server 2>/dev/null' INT TERM",
  'while [ -d /proc/$parent ] && kill -0 $server 2>/dev/null; do sleep 0.2; done',
  'kill -INT $server 2>/dev/null',
  'wait $server',
  '[ -d /proc/$parent ] || rm -rf "$directory"',
].join('\n');

async function acceptsConnections(serverUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres`, connectionTimeoutMillis: 1_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function waitForNoOtherSessions(serverUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await client.connect();
  try {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
      const { rows } = await client.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM pg_stat_activity
          WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      );
      if (rows[0]!.count === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await client.end();
  }
}

/**
 * A PostgreSQL server of the test's own, in a temporary data directory on a free port (trust
 * authentication, user `root`, no fsync), with the database `repopulse` migrated: a test may stop and
 * restart it — as an operator restarts the database — without touching the machine's server that every
 * other test shares.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const directory = await mkdtemp(join(tmpdir(), 'repopulse-test-postgres-'));
  const dataDirectory = join(directory, 'data');
  if (userInfo().uid === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: group } = await run('id', ['-g', 'postgres']);
    await chown(directory, Number(stdout.trim()), Number(group.trim()));
  }
  const [initdb, initdbArgs] = asServerUser(join(binaries, 'initdb'), [
    '-D',
    dataDirectory,
    '-U',
    'root',
    '--auth=trust',
    '--no-sync',
    '--encoding=UTF8',
    '--locale=C',
  ]);
  await run(initdb, initdbArgs);
  const port = await freePort();
  const serverUrl = `postgres://root@127.0.0.1:${port}`;
  let server: ChildProcess | undefined;
  let exited: Promise<void> | undefined;
  let output = '';
  let removed: Promise<void> | undefined;
  let runningPid: number | undefined;

  async function start(): Promise<void> {
    if (server) return;
    const [command, args] = asServerUser('sh', [
      '-c',
      watchdogScript,
      'test-postgres',
      String(process.pid),
      directory,
      join(binaries, 'postgres'),
      '-D',
      dataDirectory,
      '-p',
      String(port),
      ...serverSettings.flatMap((setting) => ['-c', setting]),
    ]);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    server = child;
    output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const deadline = Date.now() + 30_000;
    while (!(await acceptsConnections(serverUrl))) {
      if (child.exitCode !== null || child.signalCode !== null) {
        server = undefined;
        throw new Error(`the test PostgreSQL exited at start:\n${output}`);
      }
      if (Date.now() > deadline) throw new Error(`the test PostgreSQL did not start in 30 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    runningPid = await postmasterPid();
  }

  /** The postmaster's pid (the first line of postmaster.pid): as root, the child is runuser, not it. */
  async function postmasterPid(): Promise<number | undefined> {
    const text = await readFile(join(dataDirectory, 'postmaster.pid'), 'utf8').catch(() => undefined);
    const pid = Number(text?.split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  }

  async function stop(): Promise<void> {
    const current = server;
    if (!current) return;
    // SIGINT is PostgreSQL's fast shutdown: every session gets 57P01 and the server exits at once.
    const pid = (await postmasterPid()) ?? current.pid;
    if (pid !== undefined) process.kill(pid, 'SIGINT');
    await exited;
    server = undefined;
    runningPid = undefined;
  }

  // A test process that dies without `remove()` must not leave its server running.
  const killOnExit = () => {
    if (runningPid !== undefined) process.kill(runningPid, 'SIGQUIT');
    rmSync(directory, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);

  try {
    await start();
    const url = `${serverUrl}/repopulse`;
    await ensureDatabaseExists(url);
    await migrateDatabase(url, createLogger({ level: 'error', module: 'test', silent: true }));
    // node-pg-migrate ends its connection without waiting: a restart at once would end it under it.
    await waitForNoOtherSessions(serverUrl);
    return {
      serverUrl,
      url,
      port,
      stop,
      start,
      async restart() {
        await stop();
        await start();
      },
      remove() {
        removed ??= (async () => {
          await stop();
          process.removeListener('exit', killOnExit);
          await rm(directory, { recursive: true, force: true });
        })();
        return removed;
      },
    };
  } catch (error) {
    await stop().catch(() => {});
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

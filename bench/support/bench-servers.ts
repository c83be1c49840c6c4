import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { testInternalSecret } from '@repopulse/core/testing';

export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningChild {
  child: ChildProcess;
  port: number;
  /** Rejects as soon as the process ends, so a server that cannot start fails the run at once. */
  exited: Promise<never>;
}

/** A port nobody listens on now, for a server started as a child process. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Runs a TypeScript entry point (a module's composition root) as its own process on a free port, with the
 * tests' INTERNAL_SECRET: requests straight to a module are signed with it (`load({ signed: true })`).
 */
export async function startServer(script: string, env: Record<string, string>): Promise<RunningChild> {
  const port = await freePort();
  // BENCH_NODE_ARGS: extra flags for the servers' node (e.g. `--cpu-prof --cpu-prof-dir=/tmp/profiles`).
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--conditions=source', '--import', 'tsx', script], {
    cwd: repositoryRoot,
    env: { ...process.env, PORT: String(port), INTERNAL_SECRET: testInternalSecret, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<never>((_resolve, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`${script} exited (${signal ?? code})`))),
  );
  exited.catch(() => {}); // observed by whoever waits on it; a late exit at cleanup is expected
  return { child, port, exited };
}

export async function waitUntilReady(server: RunningChild, url: string): Promise<void> {
  const ready = (async () => {
    for (let attempt = 0; attempt < 300; attempt++) {
      const response = await fetch(url).catch(() => undefined);
      if (response?.ok) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${url} never became ready`);
  })();
  await Promise.race([ready, server.exited]);
}

export async function stopServer(server: RunningChild): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testInternalSecret } from '@repopulse/core/testing';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface ModuleProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

const running = new Set<ChildProcess>();
let terminationHandled = false;

/**
 * The test runner ends a test file that overran its timeout with SIGTERM, and no `after` hook runs then:
 * the modules it started must not live on (they survive their dependencies going away, so nothing else
 * would end them). The test PostgreSQL stops on the process's exit.
 */
function killModulesOnTermination(): void {
  if (terminationHandled) return;
  terminationHandled = true;
  process.once('SIGTERM', () => {
    for (const child of running) child.kill('SIGKILL');
    process.exit(143);
  });
}

/**
 * Runs a module's composition root as its own process, as `npm start` would, from source, with the tests'
 * INTERNAL_SECRET (the permission proxy signs and every module checks with it).
 */
export function startModuleProcess(module: string, env: Record<string, string>): ModuleProcess {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', `${module}/src/index.ts`],
    {
      cwd: repositoryRoot,
      env: { ...process.env, LOG_LEVEL: 'warn', PORT: '0', INTERNAL_SECRET: testInternalSecret, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.add(child);
  killModulesOnTermination();
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? -1);
    }),
  );
  return { child, output: () => output, exited };
}

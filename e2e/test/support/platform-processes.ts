import { waitFor } from '@repopulse/core/testing';
import { startModuleProcess, type ModuleProcess } from '../engine-process.js';

/** A module started as its own process, with the port it listens on. */
export interface ListeningModule {
  process: ModuleProcess;
  url: string;
}

/**
 * Starts a module from source and waits for the log line naming its port ("admin panel listening",
 * "integration engine running"; LOG_LEVEL info) to learn it; fails at once, with the module's output, if
 * it exits instead.
 */
export async function startListeningModule(
  module: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<ListeningModule> {
  const process = startModuleProcess(module, { LOG_LEVEL: 'info', ...env });
  const port = await Promise.race([
    waitFor(() => /"port":(\d+)/.exec(process.output())?.[1], {
      timeoutMs,
      what: `${module} listening`,
    }),
    process.exited.then((code) => {
      throw new Error(`${module} exited (${code}) before listening:\n${process.output()}`);
    }),
  ]);
  return { process, url: `http://127.0.0.1:${port}` };
}

/** Kills the processes and waits until they are gone. */
export async function stopProcesses(processes: readonly ModuleProcess[]): Promise<void> {
  for (const process of processes) process.child.kill('SIGKILL');
  await Promise.all(processes.map((process) => process.exited));
}

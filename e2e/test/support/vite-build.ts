import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));
const viteBin = fileURLToPath(new URL('../../../node_modules/vite/bin/vite.js', import.meta.url));

/**
 * Builds a web UI with Vite into `outDir` (a scratch directory, so a test never empties the developer's
 * build), as `npm run build` does. The test then points the module at it.
 */
export async function buildUi(configPath: string, outDir: string): Promise<void> {
  await execFileAsync(
    process.execPath,
    [viteBin, 'build', '--config', configPath, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: repositoryRoot, maxBuffer: 16 * 1024 * 1024 },
  );
}

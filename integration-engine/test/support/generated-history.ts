import { spawn } from 'node:child_process';
import { runGit, temporaryDirectory } from './git-repositories.js';

/**
 * A bare repository with `commits` linear commits on `main`, written in one `git fast-import` (thousands
 * of commits a second), authored in turn by `authors` one hour apart from `start`, each changing one file.
 */
export async function generatedRepository(options: {
  commits: number;
  authors?: readonly string[];
  start?: Date;
}): Promise<{ path: string; url: string }> {
  const path = `${await temporaryDirectory('generated')}/repository.git`;
  await runGit(['init', '--quiet', '--bare', '--initial-branch=main', path]);
  const authors = options.authors ?? ['ada', 'grace', 'linus'];
  const start = Math.floor((options.start ?? new Date('2025-01-01T00:00:00Z')).getTime() / 1000);
  const child = spawn('git', ['--git-dir', path, 'fast-import', '--quiet', '--done'], {
    stdio: ['pipe', 'ignore', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
    },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = new Promise<void>((resolve, reject) =>
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`fast-import exited ${code}: ${stderr}`)),
    ),
  );
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  for (let index = 1; index <= options.commits; index++) {
    const author = authors[index % authors.length]!;
    const when = `${start + index * 3600} +0000`;
    const chunk =
      `commit refs/heads/main\nmark :${index}\n` +
      `author ${author} <${author}@example.org> ${when}\ncommitter ${author} <${author}@example.org> ${when}\n` +
      data(`Change ${index}`) +
      (index > 1 ? `from :${index - 1}\n` : '') +
      `M 644 inline file-${index % 50}.txt\n` +
      data(`line ${index}\n`);
    if (!child.stdin.write(chunk)) await new Promise((resolve) => child.stdin.once('drain', resolve));
  }
  child.stdin.end('done\n');
  await closed;
  return { path, url: path };
}

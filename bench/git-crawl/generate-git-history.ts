import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Author {
  name: string;
  email: string;
  offset: string;
}

const authors: Author[] = [
  { name: 'Alice Smith', email: 'alice@example.org', offset: '+0100' },
  { name: 'Bob Jones', email: 'bob@example.net', offset: '-0800' },
  { name: 'Chandra Rao', email: 'chandra@example.in', offset: '+0530' },
  { name: 'José Müller', email: 'jose@example.de', offset: '+0200' },
  { name: 'Mei Chen', email: 'mei@example.cn', offset: '+0800' },
  { name: 'Olu Ade', email: 'olu@example.ng', offset: '+0100' },
  { name: 'Sam Taylor', email: 'sam@users.noreply.github.com', offset: '-0500' },
  { name: 'Kenji Sato', email: 'kenji@example.jp', offset: '+0900' },
  { name: 'Ana Lima', email: 'ana@example.br', offset: '-0300' },
  { name: 'Priya Nair', email: 'priya@example.com', offset: '+0545' },
  { name: 'alice', email: 'Alice@old.example.org', offset: '+0000' },
  { name: 'dependabot[bot]', email: '49699333+dependabot[bot]@users.noreply.github.com', offset: '+0000' },
];
const fileCount = 400;
const maxLinesPerFile = 40;
const mergeEvery = 150;

/** A deterministic generator, so the same size always gives the same repository. */
function pseudoRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A bare repository of `commitCount` commits on `main` (several authors and time zones, text files
 * changed a few lines at a time, a binary file now and then, `Co-authored-by:` trailers, a merge of a side
 * branch every `mergeEvery` commits, the side branch's commits reachable from main), made once with
 * `git fast-import` and kept under the system's temporary directory.
 */
export async function benchmarkRepository(commitCount: number): Promise<string> {
  const base = join(tmpdir(), `repopulse-bench-git-${commitCount}`);
  const repository = join(base, 'repository.git');
  const ready = join(base, 'ready');
  if (existsSync(ready)) return repository;
  await rm(base, { recursive: true, force: true });
  await mkdir(base, { recursive: true });
  await git(['init', '--quiet', '--bare', '--initial-branch=main', repository]);
  const started = Date.now();
  await fastImport(repository, commitCount);
  await git(['--git-dir', repository, 'repack', '-a', '-d', '--quiet']);
  await writeFile(ready, new Date().toISOString());
  console.log(
    `generated ${commitCount} commits in ${((Date.now() - started) / 1000).toFixed(1)} s: ${repository}`,
  );
  return repository;
}

async function fastImport(repository: string, commitCount: number): Promise<void> {
  // glibc hands memory back after every large free by default; fast-import frees its object buffers so
  // often that shrinking and growing the heap (brk) took ~90 % of its time on the development machine.
  const child = spawn('git', ['--git-dir', repository, 'fast-import', '--quiet', '--done'], {
    stdio: ['pipe', 'ignore', 'inherit'],
    env: {
      ...process.env,
      MALLOC_TOP_PAD_: String(256 * 1024 * 1024),
      MALLOC_TRIM_THRESHOLD_: String(256 * 1024 * 1024),
    },
  });
  const exited = new Promise<void>((resolve, reject) =>
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`fast-import exited ${code}`)))),
  );
  const random = pseudoRandom(commitCount);
  const files = Array.from({ length: fileCount }, () => [] as string[]);
  let time = Date.UTC(2016, 0, 1) / 1000;
  let mark = 0;
  let mainTip = 0;
  let written = 0;
  let chunk = '';

  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const change = (index: number) => {
    const lines = files[index]!;
    if (lines.length > 0)
      lines[Math.floor(random() * lines.length)] = `changed ${mark} ${random().toString(36)}`;
    lines.push(`line ${mark}: ${random().toString(36).slice(2)} ${random().toString(36).slice(2)}`);
    if (lines.length > maxLinesPerFile) lines.shift();
    return `M 100644 inline src/module-${index % 20}/file-${index}.txt\n${data(lines.join('\n') + '\n')}`;
  };
  const commit = (branch: string, extra: string) => {
    mark++;
    time += 600 + Math.floor(random() * 4_800);
    const author = authors[Math.floor(random() * authors.length)]!;
    const who = `${author.name} <${author.email}> ${time} ${author.offset}`;
    const coAuthor = random() < 0.05 ? `\n\nCo-authored-by: Bob <bob@example.net>` : '';
    let message = `Change ${mark}: ${random().toString(36).slice(2)}\n\nWhy: ${random().toString(36)}${coAuthor}`;
    if (random() < 0.02) message += `\n${'A long explanation. '.repeat(40)}`;
    let changes = '';
    const touched = 1 + Math.floor(random() * 3);
    for (let index = 0; index < touched; index++) changes += change(Math.floor(random() * fileCount));
    if (random() < 0.002) {
      // NUL bytes make it binary to git; the other bytes are ASCII, so the text's length is its byte count.
      const bytes = Array.from({ length: 64 }, (_, index) =>
        String.fromCharCode(index % 7 === 0 ? 0 : 32 + (mark % 90)),
      );
      changes += `M 100644 inline assets/image-${mark % 10}.bin\n${data(bytes.join(''))}`;
    }
    chunk += `commit refs/heads/${branch}\nmark :${mark}\nauthor ${who}\ncommitter ${who}\n${data(message)}${extra}${changes}\n`;
    written++;
    return mark;
  };

  while (written < commitCount) {
    if (written > 0 && written % mergeEvery === 0 && commitCount - written >= 2) {
      const side = commit('side', `from :${mainTip}\n`);
      mainTip = commit('main', `merge :${side}\n`);
    } else {
      mainTip = commit('main', '');
    }
    if (chunk.length > 1_000_000) {
      await writeChunk(child.stdin, chunk);
      chunk = '';
    }
  }
  await writeChunk(child.stdin, `${chunk}done\n`);
  child.stdin.end();
  await exited;
}

function writeChunk(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (stream.write(text)) resolve();
    else stream.once('drain', resolve);
  });
}

function git(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`git ${args.join(' ')} exited ${code}`)),
    );
  });
}

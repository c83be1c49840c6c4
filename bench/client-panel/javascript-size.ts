// What a browser downloads of the dashboards' JavaScript, gzipped as a server would send it.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface JavaScriptSize {
  /** Every script the build wrote, gzipped (level 6, as nginx and express's compression default to). */
  allGzipBytes: number;
  /** The scripts index.html loads before any dashboard: its module entry and the chunks it preloads. */
  initialGzipBytes: number;
  files: Array<{ file: string; bytes: number; gzipBytes: number; initial: boolean }>;
}

export async function measureJavaScript(uiDirectory: string): Promise<JavaScriptSize> {
  const html = await readFile(join(uiDirectory, 'index.html'), 'utf8');
  const initial = new Set(
    [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\bhref)="\/?([^"]+\.js)"/g)].map((match) => match[1]!),
  );
  const files: JavaScriptSize['files'] = [];
  for (const entry of await readdir(join(uiDirectory, 'assets'))) {
    if (!entry.endsWith('.js')) continue;
    const content = await readFile(join(uiDirectory, 'assets', entry));
    const file = `assets/${entry}`;
    files.push({
      file,
      bytes: content.length,
      gzipBytes: gzipSync(content, { level: 6 }).length,
      initial: initial.has(file),
    });
  }
  const sum = (list: typeof files) => list.reduce((total, file) => total + file.gzipBytes, 0);
  return { allGzipBytes: sum(files), initialGzipBytes: sum(files.filter((file) => file.initial)), files };
}

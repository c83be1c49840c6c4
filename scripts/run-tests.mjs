// Runs the whole suite with node's test runner: migrates the template database every test file copies,
// runs every */test/**/*.test.ts file, and ends with one line "N passed, N failed".
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { serviceModules } from './modules.mjs';

const root = new URL('..', import.meta.url).pathname;
const modules = ['core', ...serviceModules, 'e2e', 'bench'];
const filter = process.argv.slice(2);

function findTests(directory) {
  let found = [];
  let entries;
  try {
    entries = readdirSync(directory);
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) found = found.concat(findTests(path));
    else if (entry.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

const files = modules
  .flatMap((module) => findTests(join(root, module, 'test')))
  .filter((file) => filter.length === 0 || filter.some((word) => file.includes(word)))
  .sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const tsxNode = ['--conditions=source', '--import', 'tsx'];
const prepared = await run('node', [
  ...tsxNode,
  '-e',
  "await (await import('@repopulse/core/testing')).prepareTemplateDatabase({ fresh: true })",
]);
if (prepared !== 0) {
  console.error('could not prepare the template database');
  process.exit(1);
}

mkdirSync(join(root, '.test-results'), { recursive: true });
const tapFile = join(root, '.test-results', 'results.tap');
console.log(`running ${files.length} test files: ${files.map((file) => relative(root, file)).join(', ')}`);
const code = await run(
  'node',
  [
    ...tsxNode,
    '--test',
    `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`,
    '--test-timeout=120000',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ],
  { TEST_TEMPLATE_READY: '1' },
);

const tap = readFileSync(tapFile, 'utf8');
const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
const passed = count('pass');
const failed = count('fail') + count('cancelled');
console.log(`${passed} passed, ${failed} failed${count('skipped') ? `, ${count('skipped')} skipped` : ''}`);
process.exit(code !== 0 || failed > 0 || passed === 0 ? 1 : 0);

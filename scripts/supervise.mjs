// Runs every built module (<module>/dist/index.js) as a child process, prefixes each line it prints with
// its name, restarts a module that dies with a capped backoff, and on SIGINT/SIGTERM stops them all.
// `npm start` (scripts/start.sh) ends here. PORT is not passed on, since every module would then try the
// same port; <MODULE>_PORT (INPUT_GATEWAY_PORT=4001) sets one module's port instead. Unless INTERNAL_SECRET
// (or INTERNAL_SECRET_FILE) is set, every module gets the one kept in ./data/internal-secret, made at the
// first start: the permission proxy signs the identities it forwards with it and the others check them.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { serviceModules } from './modules.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const moduleNames = serviceModules;
const firstRestartDelayMs = 1_000;
const maxRestartDelayMs = 30_000;
/** A module that ran this long before dying counts as healthy: its next restart waits the first delay. */
const healthyRunMs = 60_000;
const forceKillAfterMs = 15_000;
/** EX_CONFIG from loadConfigOrExit: a restart with the same environment cannot help. */
const configErrorExitCode = 78;

const labelWidth = Math.max('supervise'.length, ...moduleNames.map((name) => name.length)) + 2;
const supervisorLabel = label('supervise');
let stopping = false;
let forceKillTimer;

function label(name) {
  return `[${name}]`.padEnd(labelWidth);
}

function log(message) {
  process.stdout.write(`${supervisorLabel} ${message}\n`);
}

function entryPointOf(name) {
  return join(root, name, 'dist', 'index.js');
}

/** The development INTERNAL_SECRET: kept under ./data so modules started on their own can share it. */
function internalSecretFile() {
  const file = join(root, 'data', 'internal-secret');
  if (!existsSync(file)) {
    mkdirSync(join(root, 'data'), { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    log(`made a new INTERNAL_SECRET in ${file}`);
  }
  return file;
}

const sharedEnvironment = { ...process.env };
if (!sharedEnvironment.INTERNAL_SECRET && !sharedEnvironment.INTERNAL_SECRET_FILE)
  sharedEnvironment.INTERNAL_SECRET_FILE = internalSecretFile();

function environmentFor(name) {
  const environment = { ...sharedEnvironment };
  delete environment.PORT;
  const port = process.env[`${name.toUpperCase().replaceAll('-', '_')}_PORT`];
  if (port) environment.PORT = port;
  return environment;
}

function prefixLines(stream, prefix, output) {
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) =>
    output.write(`${prefix} ${line}\n`),
  );
}

function restartDelayMs(failures) {
  return Math.min(maxRestartDelayMs, firstRestartDelayMs * 2 ** (failures - 1));
}

function start(module) {
  module.startedAt = Date.now();
  // A process group of its own: Ctrl-C in the terminal reaches only the supervisor, which then sends
  // one SIGTERM. Were the children to get the terminal's SIGINT too, that SIGTERM would be their second
  // signal, which makes a module exit at once instead of finishing its work.
  const child = spawn(process.execPath, [entryPointOf(module.name)], {
    cwd: root,
    env: environmentFor(module.name),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  module.child = child;
  prefixLines(child.stdout, module.label, process.stdout);
  prefixLines(child.stderr, module.label, process.stderr);
  child.on('error', (error) => log(`${module.name}: ${error.message}`));
  child.on('exit', (code, signal) => onExit(module, code, signal));
  log(`${module.name} started (pid ${child.pid})`);
}

function onExit(module, code, signal) {
  module.child = undefined;
  const how = signal ? `signal ${signal}` : `code ${code}`;
  if (stopping) {
    log(`${module.name} stopped (${how})`);
    if (runningModules().length === 0) finishStopping();
    return;
  }
  if (code === configErrorExitCode) {
    log(`${module.name} exited with a configuration error; not restarting it (fix the variable it names)`);
    module.givenUp = true;
    if (modules.every((other) => other.givenUp)) process.exit(configErrorExitCode);
    return;
  }
  module.failures = Date.now() - module.startedAt >= healthyRunMs ? 1 : module.failures + 1;
  const delay = restartDelayMs(module.failures);
  log(`${module.name} exited unexpectedly (${how}); restarting in ${delay / 1000} s`);
  module.restartTimer = setTimeout(() => {
    module.restartTimer = undefined;
    start(module);
  }, delay);
}

function runningModules() {
  return modules.filter((module) => module.child !== undefined);
}

function signalAll(signal) {
  for (const module of runningModules()) {
    try {
      module.child.kill(signal);
    } catch (error) {
      log(`could not send ${signal} to ${module.name}: ${error.message}`);
    }
  }
}

function stopAll(signal) {
  if (stopping) {
    log(`${signal} again: killing every module now`);
    signalAll('SIGKILL');
    return;
  }
  stopping = true;
  log(`${signal}: stopping every module`);
  for (const module of modules) clearTimeout(module.restartTimer);
  if (runningModules().length === 0) finishStopping();
  signalAll('SIGTERM');
  forceKillTimer = setTimeout(() => {
    log(`modules still running after ${forceKillAfterMs / 1000} s: killing them`);
    process.exitCode = 1;
    signalAll('SIGKILL');
  }, forceKillAfterMs);
}

function finishStopping() {
  clearTimeout(forceKillTimer);
  log('all modules stopped');
  process.exit();
}

const modules = moduleNames
  .filter((name) => existsSync(entryPointOf(name)))
  .map((name) => ({ name, label: label(name), child: undefined, failures: 0, startedAt: 0, givenUp: false }));

if (modules.length === 0) {
  log('no module is built (no <module>/dist/index.js); run `npm run build` first');
  process.exit(1);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stopAll(signal));
// Last resort if the supervisor itself dies: children in their own process groups would outlive it.
process.on('exit', () => signalAll('SIGKILL'));
log(`supervising ${modules.map((module) => module.name).join(', ')}`);
for (const module of modules) start(module);

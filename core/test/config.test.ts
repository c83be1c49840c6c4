import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import {
  byteSize,
  ConfigError,
  integer,
  oneOf,
  optional,
  readConfig,
  text,
  url,
  variables,
} from '../src/index.js';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Asserts that `read` throws a ConfigError for `variable` whose message names it. */
function assertConfigError(read: () => unknown, variable: string, message?: RegExp): void {
  assert.throws(read, (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    assert.equal(error.variable, variable);
    assert.ok(error.message.startsWith(`${variable}: `), `"${error.message}" names ${variable}`);
    if (message) assert.match(error.message, message);
    return true;
  });
}

describe('readConfig', () => {
  test('applies the defaults of docs/DESIGN.md when nothing is set', () => {
    const config = readConfig(
      {
        DATABASE_URL: variables.DATABASE_URL,
        AMQP_URL: variables.AMQP_URL,
        LOG_LEVEL: variables.LOG_LEVEL,
        QUEUE_RETRY_DELAYS_MS: variables.QUEUE_RETRY_DELAYS_MS,
        INGEST_MAX_BODY_BYTES: variables.INGEST_MAX_BODY_BYTES,
        DATABASE_READ_URL: variables.DATABASE_READ_URL,
      },
      {},
    );
    assert.deepEqual(config, {
      DATABASE_URL: 'postgres://root@127.0.0.1:5432/repopulse',
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
      LOG_LEVEL: 'info',
      QUEUE_RETRY_DELAYS_MS: [1_000, 10_000, 60_000, 300_000],
      INGEST_MAX_BODY_BYTES: 1024 * 1024,
      DATABASE_READ_URL: null,
    });
  });

  test('treats an empty or blank variable as unset', () => {
    const config = readConfig({ LOG_LEVEL: variables.LOG_LEVEL }, { LOG_LEVEL: '   ' });
    assert.equal(config.LOG_LEVEL, 'info');
  });

  test('calls a default given as a function only when the variable is unset', () => {
    let calls = 0;
    const spec = {
      SECRET: {
        parse: (raw: string) => raw,
        defaultValue: () => {
          calls++;
          return 'generated';
        },
      },
    };
    assert.equal(readConfig(spec, {}).SECRET, 'generated');
    assert.equal(readConfig(spec, { SECRET: 'given' }).SECRET, 'given');
    assert.equal(calls, 1);
  });

  test('parses whole numbers within their range, trimming surrounding space', () => {
    const spec = { PORT: integer({ min: 0, max: 65535 }), OFFSET: integer() };
    assert.deepEqual(readConfig(spec, { PORT: ' 8080 ', OFFSET: '-3' }), { PORT: 8080, OFFSET: -3 });
  });

  test('rejects a number that is not whole or lies outside its range, naming the variable', () => {
    const spec = { QUEUE_PREFETCH: variables.QUEUE_PREFETCH };
    assertConfigError(() => readConfig(spec, { QUEUE_PREFETCH: '4.5' }), 'QUEUE_PREFETCH', /whole number/);
    assertConfigError(() => readConfig(spec, { QUEUE_PREFETCH: 'many' }), 'QUEUE_PREFETCH', /whole number/);
    assertConfigError(
      () => readConfig(spec, { QUEUE_PREFETCH: '0' }),
      'QUEUE_PREFETCH',
      /between 1 and 1000/,
    );
  });

  test('accepts a URL of an allowed scheme and keeps it as written', () => {
    const config = readConfig(
      { DATABASE_URL: variables.DATABASE_URL, AMQP_URL: variables.AMQP_URL },
      { DATABASE_URL: 'postgresql://user:pw@db:5433/pulse', AMQP_URL: 'amqps://broker.example' },
    );
    assert.equal(config.DATABASE_URL, 'postgresql://user:pw@db:5433/pulse');
    assert.equal(config.AMQP_URL, 'amqps://broker.example');
  });

  test('rejects a URL of another scheme and a value that is no URL at all', () => {
    const spec = { DATABASE_URL: variables.DATABASE_URL };
    assertConfigError(() => readConfig(spec, { DATABASE_URL: 'mysql://db/pulse' }), 'DATABASE_URL', /mysql:/);
    assertConfigError(() => readConfig(spec, { DATABASE_URL: 'db:5432' }), 'DATABASE_URL');
    assertConfigError(() => readConfig(spec, { DATABASE_URL: 'not a url' }), 'DATABASE_URL', /must be a URL/);
  });

  test('parses a comma-separated list of positive whole numbers', () => {
    const spec = { QUEUE_RETRY_DELAYS_MS: variables.QUEUE_RETRY_DELAYS_MS };
    assert.deepEqual(
      readConfig(spec, { QUEUE_RETRY_DELAYS_MS: '100, 2000,30000' }).QUEUE_RETRY_DELAYS_MS,
      [100, 2000, 30000],
    );
    for (const bad of ['100,,200', '100,-5', '0', '1.5', 'soon']) {
      assertConfigError(() => readConfig(spec, { QUEUE_RETRY_DELAYS_MS: bad }), 'QUEUE_RETRY_DELAYS_MS');
    }
  });

  test('parses byte sizes in bytes, kb, mb and gb, in any case', () => {
    const spec = { LIMIT: byteSize(1) };
    const read = (raw: string) => readConfig(spec, { LIMIT: raw }).LIMIT;
    assert.equal(read('2048'), 2048);
    assert.equal(read('10b'), 10);
    assert.equal(read('512kb'), 512 * 1024);
    assert.equal(read('1MB'), 1024 * 1024);
    assert.equal(read('2 gb'), 2 * 1024 ** 3);
    for (const bad of ['1.5mb', 'lots', '10 tb', '-1']) {
      assertConfigError(() => readConfig(spec, { LIMIT: bad }), 'LIMIT', /size/);
    }
  });

  test('accepts only the listed values of an enumeration', () => {
    const spec = { LOG_LEVEL: variables.LOG_LEVEL };
    assert.equal(readConfig(spec, { LOG_LEVEL: 'debug' }).LOG_LEVEL, 'debug');
    assertConfigError(() => readConfig(spec, { LOG_LEVEL: 'loud' }), 'LOG_LEVEL', /must be one of/);
  });

  test('checks text against its pattern', () => {
    const spec = { QUEUE_PREFIX: variables.QUEUE_PREFIX };
    assert.equal(readConfig(spec, { QUEUE_PREFIX: 'staging.' }).QUEUE_PREFIX, 'staging.');
    assertConfigError(
      () => readConfig(spec, { QUEUE_PREFIX: 'has space' }),
      'QUEUE_PREFIX',
      /letters, digits/,
    );
  });

  test('throws a ConfigError naming a required variable that is missing', () => {
    const spec = { GITHUB_WEBHOOK_SECRET: text(), MODE: oneOf(['a', 'b'] as const) };
    assertConfigError(() => readConfig(spec, {}), 'GITHUB_WEBHOOK_SECRET', /required but not set/);
    assertConfigError(() => readConfig(spec, { GITHUB_WEBHOOK_SECRET: 'x' }), 'MODE', /required/);
  });

  test('reads an optional variable as null when unset and still validates it when set', () => {
    const spec = { READ_URL: optional(url(['postgres'])) };
    assert.equal(readConfig(spec, {}).READ_URL, null);
    assert.equal(readConfig(spec, { READ_URL: 'postgres://replica/db' }).READ_URL, 'postgres://replica/db');
    assertConfigError(() => readConfig(spec, { READ_URL: 'http://replica' }), 'READ_URL');
  });

  describe('NAME_FILE (Docker secrets)', () => {
    const directory = mkdtempSync(join(tmpdir(), 'repopulse-config-'));
    after(() => rmSync(directory, { recursive: true, force: true }));

    test('reads the file named by NAME_FILE, trimmed, when NAME is unset', () => {
      const path = join(directory, 'secret');
      writeFileSync(path, 'from-the-file\n');
      const config = readConfig({ GITHUB_WEBHOOK_SECRET: text() }, { GITHUB_WEBHOOK_SECRET_FILE: path });
      assert.equal(config.GITHUB_WEBHOOK_SECRET, 'from-the-file');
    });

    test('parses the content of the file like the variable itself', () => {
      const path = join(directory, 'prefetch');
      writeFileSync(path, 'twelve');
      assertConfigError(
        () => readConfig({ QUEUE_PREFETCH: variables.QUEUE_PREFETCH }, { QUEUE_PREFETCH_FILE: path }),
        'QUEUE_PREFETCH',
      );
    });

    test('prefers NAME over NAME_FILE when both are set', () => {
      const path = join(directory, 'ignored');
      writeFileSync(path, 'from-the-file');
      const config = readConfig({ TOKEN: text() }, { TOKEN: 'direct', TOKEN_FILE: path });
      assert.equal(config.TOKEN, 'direct');
    });

    test('names NAME_FILE when its file cannot be read', () => {
      assertConfigError(
        () => readConfig({ TOKEN: text() }, { TOKEN_FILE: join(directory, 'missing') }),
        'TOKEN_FILE',
        /cannot read/,
      );
    });
  });
});

describe('loadConfigOrExit', () => {
  test('exits with code 78 and names the malformed variable on stderr', async () => {
    const script = [
      "import { loadConfigOrExit, variables } from '@repopulse/core';",
      'loadConfigOrExit({ QUEUE_PREFETCH: variables.QUEUE_PREFETCH });',
      "console.log('started anyway');",
    ].join('\n');
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: repositoryRoot,
        env: { ...process.env, QUEUE_PREFETCH: 'lots' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 78, `stderr: ${stderr}`);
    assert.match(stderr, /QUEUE_PREFETCH/);
    assert.match(stderr, /whole number/);
    assert.doesNotMatch(stdout, /started anyway/);
  });
});

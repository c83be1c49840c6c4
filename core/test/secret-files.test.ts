import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readConfig, variables, type VariableSpec } from '../src/index.js';
import { acceptedUrlSchemes, loadModuleConfigs, secretVariables } from './module-configs.js';

const moduleConfigs = await loadModuleConfigs();
const directory = mkdtempSync(join(tmpdir(), 'repopulse-secret-files-'));
after(() => rmSync(directory, { recursive: true, force: true }));

/** A value the variable accepts that no default equals: a URL with a password for URL variables. */
function sampleSecret(name: string, variable: VariableSpec<unknown>): string {
  const [scheme] = acceptedUrlSchemes(variable);
  if (scheme !== undefined)
    return `${scheme}://repopulse:pw-${name.toLowerCase()}@secret-host.internal:5999/repopulse`;
  return `value-of-${name.toLowerCase()}-0123456789abcdef0123456789abcdef`;
}

describe('every secret a module reads can come from a Docker secret file (NAME_FILE)', () => {
  const allSecrets = new Set(moduleConfigs.flatMap(({ spec }) => secretVariables(spec)));

  test('the secrets found in the modules’ configuration include every one the platform is known to have', () => {
    for (const known of [
      'JWT_SECRET',
      'JWT_PRIVATE_KEY',
      'JWT_PUBLIC_KEY',
      'ADMIN_PASSWORD',
      'GITHUB_TOKENS',
      'GITHUB_WEBHOOK_SECRET',
      'DATABASE_URL',
      'DATABASE_READ_URL',
      'AMQP_URL',
      'INTERNAL_SECRET',
    ]) {
      assert.ok(
        allSecrets.has(known),
        `${known} is not recognised as a secret (found: ${[...allSecrets].join(', ')})`,
      );
    }
  });

  test('plain settings and URLs without credentials are not taken for secrets', () => {
    for (const plain of [
      'LOG_LEVEL',
      'GITHUB_API_URL',
      'INPUT_GATEWAY_URL',
      'GITHUB_WEBHOOK_SECRET_CACHE_TTL_MS',
      'JWT_ISSUER',
    ]) {
      assert.ok(!allSecrets.has(plain), `${plain} is taken for a secret`);
    }
  });

  test('the modules’ configurations were found', () => {
    const modules = moduleConfigs.map(({ module }) => module);
    for (const module of [
      'input-gateway',
      'integration-engine',
      'output-gateway',
      'permission-proxy',
      'cron',
    ]) {
      assert.ok(
        modules.includes(module),
        `no configuration found for ${module} (found: ${modules.join(', ')})`,
      );
    }
  });

  for (const { module, spec } of moduleConfigs) {
    for (const name of secretVariables(spec)) {
      test(`${module} reads ${name} from ${name}_FILE as it would from ${name}`, () => {
        const variable = spec[name]!;
        const single = { [name]: variable };
        const value = sampleSecret(name, variable);
        const path = join(directory, `${module}-${name}`);
        // As `docker secret create` from `echo` leaves it: with a trailing newline.
        writeFileSync(path, `${value}\n`, { mode: 0o400 });
        const fromFile = readConfig(single, { [`${name}_FILE`]: path })[name];
        assert.deepEqual(fromFile, readConfig(single, { [name]: value })[name]);
        if (variable.defaultValue === undefined) {
          // A required secret: without the file there is nothing to read, so the value came from it.
          assert.throws(() => readConfig(single, {}), /is required/);
        } else {
          assert.notDeepEqual(
            fromFile,
            readConfig(single, {})[name],
            'the file was not read: the default came back',
          );
        }
      });
    }
  }
});

describe('secret files in the shapes Docker secrets take', () => {
  const tokensSpec = { GITHUB_TOKENS: variables.GITHUB_TOKENS };

  test('a GITHUB_TOKENS_FILE holds one token per line', () => {
    const path = join(directory, 'github-tokens');
    writeFileSync(path, 'ghp_first\nghp_second\n\n');
    assert.deepEqual(readConfig(tokensSpec, { GITHUB_TOKENS_FILE: path }).GITHUB_TOKENS, [
      'ghp_first',
      'ghp_second',
    ]);
  });

  test('a secret file holding only a newline reads as unset, never as an empty secret', () => {
    const path = join(directory, 'blank');
    writeFileSync(path, '\n');
    const spec = { GITHUB_WEBHOOK_SECRET: variables.GITHUB_WEBHOOK_SECRET, ...tokensSpec };
    assert.deepEqual(readConfig(spec, { GITHUB_WEBHOOK_SECRET_FILE: path, GITHUB_TOKENS_FILE: path }), {
      GITHUB_WEBHOOK_SECRET: null,
      GITHUB_TOKENS: [],
    });
  });
});

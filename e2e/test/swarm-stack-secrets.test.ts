import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadModuleConfigs, secretVariables } from '../../core/test/module-configs.js';
import {
  moduleOfImage,
  readRepositoryFile,
  readStack,
  secretPath,
  secretsOf,
  type Service,
} from './swarm-stack-files.js';

const stack = readStack();
const services = Object.entries(stack.services);
const moduleConfigs = new Map((await loadModuleConfigs()).map(({ module, spec }) => [module, spec]));

/** Our module services whose module has a configuration (the client panel has none yet). */
const configuredModules = services.flatMap(([name, service]) => {
  const spec = moduleConfigs.get(moduleOfImage(service.image) ?? '');
  return spec ? [{ name, service, spec }] : [];
});

function environmentOf(service: Service): Record<string, string> {
  return service.environment ?? {};
}

/** A URL with a password in it: user:password@. */
const credentialUrl = /[a-z]+:\/\/[^/\s:@]+:[^/\s@]+@/i;

describe('swarm/stack.yml: secrets', () => {
  test('every secret is a Docker secret created outside the repository (external), none read from a file or the environment', () => {
    assert.ok(Object.keys(stack.secrets).length > 0);
    for (const [name, secret] of Object.entries(stack.secrets)) {
      assert.equal(secret.external, true, `${name} is not external`);
      assert.equal(secret.file, undefined, `${name} comes from a file`);
      assert.equal(secret.environment, undefined, `${name} comes from the environment`);
    }
  });

  test('every secret a service mounts is declared, and every declared secret is mounted somewhere', () => {
    const mounted = new Set(
      services.flatMap(([, service]) => secretsOf(service).map((secret) => secret.source)),
    );
    for (const source of mounted) assert.ok(source in stack.secrets, `${source} is not declared`);
    for (const declared of Object.keys(stack.secrets))
      assert.ok(mounted.has(declared), `${declared} is unused`);
  });

  test('swarm/create-secrets.sh creates exactly the secrets the stack expects', () => {
    const script = readRepositoryFile('swarm', 'create-secrets.sh');
    const prefix = /^prefix=(\S+)$/m.exec(script)?.[1];
    assert.ok(prefix, 'create-secrets.sh names no prefix');
    const created = [...script.matchAll(/^\s*create (\w+) /gm)].map((match) => `${prefix}${match[1]}`);
    const expected = Object.values(stack.secrets).map((secret) => secret.name);
    // The TLS pair is created in either of two branches (given, or self-signed).
    assert.deepEqual([...new Set(created)].sort(), expected.sort());
  });

  test('every *_FILE variable names a secret mounted in the same service', () => {
    for (const [name, service] of services) {
      const paths = secretsOf(service).map(secretPath);
      for (const [variable, value] of Object.entries(environmentOf(service))) {
        if (!variable.endsWith('_FILE')) continue;
        assert.ok(paths.includes(value), `${name}: ${variable}=${value} is no secret of this service`);
      }
    }
  });

  test('every /run/secrets path a mounted config file reads is a secret of that service', () => {
    for (const [name, service] of services) {
      const paths = secretsOf(service).map(secretPath);
      for (const { source } of service.configs ?? []) {
        const content = readRepositoryFile('swarm', stack.configs[source]!.file!);
        for (const [path] of content.matchAll(/\/run\/secrets\/\w+/g)) {
          assert.ok(paths.includes(path), `${name}: ${source} reads ${path}, which it does not mount`);
        }
      }
    }
  });

  test('no environment value carries a password', () => {
    for (const [name, service] of services) {
      for (const [variable, value] of Object.entries(environmentOf(service))) {
        assert.doesNotMatch(String(value), credentialUrl, `${name}: ${variable}`);
        if (/(PASSWORD|SECRET|TOKENS?|_KEY)$/.test(variable))
          assert.fail(`${name} sets ${variable} in plain text`);
      }
    }
  });
});

describe('swarm/stack.yml: the modules’ environment against their configuration', () => {
  test('the module configurations were found for the services', () => {
    const names = configuredModules.map(({ name }) => name);
    for (const module of [
      'input-gateway',
      'output-gateway',
      'integration-engine',
      'permission-proxy',
      'cron',
      'admin-panel',
      'client-panel',
    ]) {
      assert.ok(names.includes(module), `${module}: no configuration found`);
    }
  });

  test('every variable a module service sets is one its configuration reads', () => {
    for (const { name, service, spec } of configuredModules) {
      for (const variable of Object.keys(environmentOf(service))) {
        const read = variable.endsWith('_FILE') ? variable.slice(0, -'_FILE'.length) : variable;
        assert.ok(read in spec, `${name} sets ${variable}, which its configuration does not read`);
      }
    }
  });

  test('every secret variable of a module’s configuration that the stack sets is set through a secret file', () => {
    for (const { name, service, spec } of configuredModules) {
      const environment = environmentOf(service);
      for (const secret of secretVariables(spec)) {
        assert.ok(!(secret in environment), `${name} sets ${secret} directly instead of ${secret}_FILE`);
      }
    }
  });

  test('every module that talks to the broker or the database is given its URL as a secret', () => {
    // The migration job runs core's migrate command, which reads DATABASE_URL alone.
    assert.ok('DATABASE_URL_FILE' in environmentOf(stack.services.migrate!), 'migrate: no DATABASE_URL_FILE');
    for (const { name, service, spec } of configuredModules.filter(({ name }) => name !== 'migrate')) {
      const environment = environmentOf(service);
      if ('AMQP_URL' in spec) assert.ok('AMQP_URL_FILE' in environment, `${name}: no AMQP_URL_FILE`);
      if (!('DATABASE_URL' in spec)) continue;
      const readsReplica = 'DATABASE_READ_URL' in spec && 'DATABASE_READ_URL_FILE' in environment;
      assert.ok('DATABASE_URL_FILE' in environment || readsReplica, `${name}: no database URL`);
    }
  });

  test('the permission proxy runs in production mode with its signing key and admin password from secrets', () => {
    const environment = environmentOf(stack.services['permission-proxy']!);
    assert.equal(environment.NODE_ENV, 'production');
    assert.ok('JWT_SECRET_FILE' in environment || 'JWT_PRIVATE_KEY_FILE' in environment);
    assert.ok('ADMIN_PASSWORD_FILE' in environment);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readConfig } from '@repopulse/core';
import { testInternalSecret, testLogger } from '@repopulse/core/testing';
import { createTokenKeys, createTokenService } from '../src/authentication/index.js';
import { permissionProxyConfig } from '../src/config.js';
import { rsaKeyPair } from './auth-tokens.js';

// On Swarm the keys arrive as files (/run/secrets/…): multi-line PEM, with the trailing newline a file has.
describe('signing keys given as Docker secret files', () => {
  const directory = mkdtempSync(join(tmpdir(), 'repopulse-token-keys-'));
  after(() => rmSync(directory, { recursive: true, force: true }));

  function secretFile(name: string, content: string): string {
    const path = join(directory, name);
    writeFileSync(path, `${content}\n`, { mode: 0o400 });
    return path;
  }

  function keysFrom(env: NodeJS.ProcessEnv) {
    const config = readConfig(permissionProxyConfig, { INTERNAL_SECRET: testInternalSecret, ...env });
    return createTokenKeys({
      secret: config.JWT_SECRET,
      privateKey: config.JWT_PRIVATE_KEY,
      publicKey: config.JWT_PUBLIC_KEY,
      production: config.NODE_ENV === 'production',
      logger: testLogger(),
    });
  }

  test('an RS256 key pair read from JWT_PRIVATE_KEY_FILE and JWT_PUBLIC_KEY_FILE signs tokens it verifies', () => {
    const pair = rsaKeyPair();
    const keys = keysFrom({
      NODE_ENV: 'production',
      JWT_PRIVATE_KEY_FILE: secretFile('jwt-private-key', pair.privatePem),
      JWT_PUBLIC_KEY_FILE: secretFile('jwt-public-key', pair.publicPem),
    });
    assert.equal(keys.algorithm, 'RS256');
    const tokens = createTokenService({
      keys,
      issuer: 'repopulse',
      audience: 'repopulse',
      lifetimeSeconds: 60,
    });
    const issued = tokens.issue({ kind: 'user', id: '7', name: 'ops', roles: ['admin'], scopes: {} });
    assert.equal(tokens.verify(issued.access_token).userId, '7');
  });

  test('an HS256 secret read from JWT_SECRET_FILE satisfies production, which refuses to generate one', () => {
    const keys = keysFrom({
      NODE_ENV: 'production',
      JWT_SECRET_FILE: secretFile('jwt-secret', 'a-secret-from-a-docker-secret-file-of-40-chars'),
    });
    assert.equal(keys.algorithm, 'HS256');
    assert.throws(() => keysFrom({ NODE_ENV: 'production' }), /JWT_SECRET: is required in production/);
  });
});

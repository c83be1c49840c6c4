import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ConfigError, readConfig } from '@repopulse/core';
import { waitFor } from '@repopulse/core/testing';
import { permissionProxyConfig } from '../src/config.js';
import { startProxyUnderTest, type ProxyUnderTest } from './proxy-under-test.js';

/** The address the audit log gives a failed login sent with this X-Forwarded-For. */
async function auditedAddress(proxy: ProxyUnderTest, forwardedFor: string): Promise<string> {
  const requestId = randomUUID();
  const response = await fetch(`${proxy.base}/auth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': forwardedFor,
      'x-request-id': requestId,
    },
    body: JSON.stringify({ username: 'nobody', password: 'not a password' }),
  });
  assert.equal(response.status, 401);
  return waitFor(
    async () =>
      (
        await proxy.testDatabase.database.query<{ address: string }>(
          `SELECT address FROM audit_log WHERE request_id = $1 AND action = 'login'`,
          [requestId],
        )
      ).rows[0]?.address,
    { what: 'the login’s audit row' },
  );
}

describe('whose X-Forwarded-For names the caller (TRUSTED_PROXIES)', () => {
  let trustingNobody: ProxyUnderTest;
  let trustingLoopback: ProxyUnderTest;

  before(async () => {
    trustingNobody = await startProxyUnderTest();
    trustingLoopback = await startProxyUnderTest({ TRUSTED_PROXIES: 'loopback' });
  });

  after(async () => {
    await trustingNobody?.stop();
    await trustingLoopback?.stop();
  });

  test('by default no one is trusted: a client cannot pick its address (and a fresh budget) with the header', async () => {
    assert.equal(await auditedAddress(trustingNobody, '203.0.113.5'), '127.0.0.1');
  });

  test('a hop named in TRUSTED_PROXIES names the caller', async () => {
    assert.equal(await auditedAddress(trustingLoopback, '203.0.113.5'), '203.0.113.5');
  });

  test('reads none as trusting nobody and refuses what cannot be an address list', () => {
    assert.equal(
      readConfig(permissionProxyConfig, { INTERNAL_SECRET: 'x'.repeat(32) }).TRUSTED_PROXIES,
      false,
    );
    const read = (value: string) =>
      readConfig(permissionProxyConfig, { INTERNAL_SECRET: 'x'.repeat(32), TRUSTED_PROXIES: value })
        .TRUSTED_PROXIES;
    assert.equal(read('None'), false);
    assert.equal(read('10.231.0.0/24'), '10.231.0.0/24');
    assert.throws(
      () => read('10.0.0.0/8; rm -rf'),
      (error: unknown) => error instanceof ConfigError && error.variable === 'TRUSTED_PROXIES',
    );
  });
});

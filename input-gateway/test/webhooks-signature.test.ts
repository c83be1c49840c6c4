import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findSigningSecret } from '../src/webhooks/webhook-signature.js';
import { signatureOf } from './webhook-deliveries.js';

const body = Buffer.from('{"zen":"Design for failure."}');
const candidates = [
  { scope: 'repository', secret: 'repo-secret' },
  { scope: 'fallback', secret: 'fallback-secret' },
];

describe('webhook signatures', () => {
  test('finds whichever candidate secret signed the exact body bytes', () => {
    assert.equal(
      findSigningSecret(body, signatureOf(body, 'fallback-secret'), candidates)?.scope,
      'fallback',
    );
    assert.equal(findSigningSecret(body, signatureOf(body, 'repo-secret'), candidates)?.scope, 'repository');
    assert.equal(
      findSigningSecret(
        body,
        signatureOf(body, 'repo-secret').toUpperCase().replace('SHA256', 'sha256'),
        candidates,
      )?.scope,
      'repository',
    );
  });

  test('finds none for another secret, another body, or a header that is not a SHA-256 signature — without throwing', () => {
    const good = signatureOf(body, 'repo-secret');
    for (const header of [
      signatureOf(body, 'other'),
      signatureOf(Buffer.from('{"zen":"Design for failure!"}'), 'repo-secret'),
      undefined,
      '',
      good.slice(0, -1),
      `${good}00`,
      good.replace('sha256=', 'sha1='),
      good.replace('sha256=', ''),
      `sha256=${'z'.repeat(64)}`,
    ]) {
      assert.equal(findSigningSecret(body, header, candidates), undefined, String(header));
    }
  });

  test('never accepts an empty secret, which anyone could sign with', () => {
    assert.equal(findSigningSecret(body, signatureOf(body, ''), [{ secret: '' }]), undefined);
  });
});

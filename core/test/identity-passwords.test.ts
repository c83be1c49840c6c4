import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import argon2 from 'argon2';
import { hashPassword, passwordHashParameters, verifyPassword } from '../src/index.js';

describe('password hashing', () => {
  test('hashes with argon2id and the current parameters, salted so one password gives two hashes', async () => {
    const first = await hashPassword('correct horse battery staple');
    const second = await hashPassword('correct horse battery staple');
    assert.match(first, /^\$argon2id\$v=19\$/);
    const parameters = first.split('$')[3]!.split(',').sort();
    assert.deepEqual(parameters, ['m=19456', 'p=1', 't=2']);
    assert.notEqual(first, second);
    assert.ok(!first.includes('correct horse'));
  });

  test('accepts the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery staple');
    assert.deepEqual(await verifyPassword(hash, 'correct horse battery staple'), {
      valid: true,
      needsRehash: false,
    });
    assert.deepEqual(await verifyPassword(hash, 'Correct horse battery staple'), {
      valid: false,
      needsRehash: false,
    });
  });

  test('asks for a rehash when the right password was stored with older parameters', async () => {
    const old = await argon2.hash('s3cret-password', {
      type: argon2.argon2id,
      memoryCost: 8_192,
      timeCost: 1,
      parallelism: 1,
    });
    assert.deepEqual(await verifyPassword(old, 's3cret-password'), { valid: true, needsRehash: true });
    assert.deepEqual(await verifyPassword(old, 'wrong'), { valid: false, needsRehash: false });
    const argon2i = await argon2.hash('s3cret-password', { type: argon2.argon2i, ...passwordHashParameters });
    assert.deepEqual(await verifyPassword(argon2i, 's3cret-password'), { valid: true, needsRehash: true });
  });

  test('treats a stored value that is no argon2 hash as a password nobody knows', async () => {
    assert.deepEqual(await verifyPassword('not a hash', 'not a hash'), { valid: false, needsRehash: false });
    assert.deepEqual(await verifyPassword('', ''), { valid: false, needsRehash: false });
  });

  test('refuses a password longer than any real one, even against its own hash', async () => {
    const hash = await hashPassword('x'.repeat(1025));
    assert.equal((await verifyPassword(hash, 'x'.repeat(1025))).valid, false);
  });
});

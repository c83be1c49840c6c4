import assert from 'node:assert/strict';
import { createSecretKey } from 'node:crypto';
import { describe, test } from 'node:test';
import { ConfigError, UnauthorisedError, type Identity } from '@repopulse/core';
import { testLogger } from '@repopulse/core/testing';
import jwt from 'jsonwebtoken';
import { createTokenKeys, createTokenService, type TokenKeys } from '../src/authentication/index.js';
import { capturedLogger } from '@repopulse/core/testing';
import { handMadeToken, plausibleClaims, rsaKeyPair } from './auth-tokens.js';

const secret = 'a-test-secret-that-is-long-enough-for-hs256';
const hmacKeys: TokenKeys = { algorithm: 'HS256', secret: createSecretKey(Buffer.from(secret)) };
const rsa = rsaKeyPair();
const otherRsa = rsaKeyPair();
const rsaKeys: TokenKeys = { algorithm: 'RS256', privateKey: rsa.privateKey, publicKey: rsa.publicKey };
const ann: Identity = { kind: 'user', id: '42', name: 'ann', roles: ['analyst'], scopes: {} };

function service(keys: TokenKeys, options: { now?: () => number; issuer?: string; audience?: string } = {}) {
  return createTokenService({
    keys,
    issuer: options.issuer ?? 'repopulse-test',
    audience: options.audience ?? 'repopulse-test',
    lifetimeSeconds: 900,
    now: options.now,
  });
}

function refusal(detail: string) {
  return (error: unknown) => error instanceof UnauthorisedError && error.message === detail;
}

const invalid = refusal('The token is invalid');

describe('token service', () => {
  for (const keys of [hmacKeys, rsaKeys]) {
    test(`issues a ${keys.algorithm} token for a user with subject, issuer, audience, expiry and id`, () => {
      const issued = service(keys).issue(ann);
      assert.equal(issued.token_type, 'Bearer');
      assert.equal(issued.expires_in, 900);
      const decoded = jwt.decode(issued.access_token, { complete: true })!;
      assert.equal(decoded.header.alg, keys.algorithm);
      const claims = decoded.payload as jwt.JwtPayload;
      assert.equal(claims.sub, '42');
      assert.equal(claims.iss, 'repopulse-test');
      assert.equal(claims.aud, 'repopulse-test');
      assert.equal(claims.exp! - claims.iat!, 900);
      assert.match(String(claims.jti), /^[0-9a-f-]{36}$/);
      assert.ok(!('roles' in claims), 'roles are read from the database, not trusted from the token');
      const verified = service(keys).verify(issued.access_token);
      assert.equal(verified.userId, '42');
      assert.equal(verified.tokenId, claims.jti);
      assert.equal(verified.expiresAt.getTime(), claims.exp! * 1000);
    });
  }

  test('gives every token an id of its own', () => {
    const tokens = service(hmacKeys);
    const ids = new Set(
      Array.from({ length: 20 }, () => jwt.decode(tokens.issue(ann).access_token) as jwt.JwtPayload).map(
        (claims) => claims.jti,
      ),
    );
    assert.equal(ids.size, 20);
  });

  test('carries the user’s token version (claim ver); a token from before versions counts as version 0', () => {
    const tokens = service(hmacKeys);
    const issued = tokens.issue(ann, 3);
    assert.equal((jwt.decode(issued.access_token) as jwt.JwtPayload).ver, 3);
    assert.equal(tokens.verify(issued.access_token).tokenVersion, 3);
    const claims = plausibleClaims('42');
    assert.equal(tokens.verify(handMadeToken({ alg: 'HS256', typ: 'JWT' }, claims, secret)).tokenVersion, 0);
    for (const ver of ['3', -1, 1.5, null]) {
      const token = handMadeToken({ alg: 'HS256', typ: 'JWT' }, { ...claims, ver }, secret);
      assert.throws(() => tokens.verify(token), invalid, JSON.stringify(ver));
    }
  });

  test('refuses to issue a token to an API key', () => {
    assert.throws(() => service(hmacKeys).issue({ ...ann, kind: 'api-key' }));
  });

  test('refuses an expired token as expired', () => {
    let now = Date.now();
    const tokens = service(hmacKeys, { now: () => now });
    const issued = tokens.issue(ann);
    now += 899_000;
    assert.equal(tokens.verify(issued.access_token).userId, '42');
    now += 2_000;
    assert.throws(() => tokens.verify(issued.access_token), refusal('The token has expired'));
  });

  test('refuses a token signed with another secret or another private key', () => {
    const otherSecret: TokenKeys = {
      algorithm: 'HS256',
      secret: createSecretKey(Buffer.from('another-secret-that-is-long-enough-too')),
    };
    assert.throws(() => service(hmacKeys).verify(service(otherSecret).issue(ann).access_token), invalid);
    const otherPair: TokenKeys = {
      algorithm: 'RS256',
      privateKey: otherRsa.privateKey,
      publicKey: otherRsa.publicKey,
    };
    assert.throws(() => service(rsaKeys).verify(service(otherPair).issue(ann).access_token), invalid);
  });

  test('refuses a token of another algorithm than the configured one, even with the right secret', () => {
    const claims = plausibleClaims('42');
    const hs384 = jwt.sign(claims, secret, { algorithm: 'HS384' });
    assert.throws(() => service(hmacKeys).verify(hs384), invalid);
    const rs256 = service(rsaKeys).issue(ann).access_token;
    assert.throws(() => service(hmacKeys).verify(rs256), invalid);
    const hs256 = service(hmacKeys).issue(ann).access_token;
    assert.throws(() => service(rsaKeys).verify(hs256), invalid);
  });

  test('refuses an HS256 token keyed with the RS256 public key (algorithm confusion)', () => {
    const forged = handMadeToken({ alg: 'HS256', typ: 'JWT' }, plausibleClaims('1'), rsa.publicPem);
    assert.throws(() => service(rsaKeys).verify(forged), invalid);
  });

  test('refuses an unsigned token with alg none, whatever the configured algorithm', () => {
    for (const alg of ['none', 'None', 'NONE']) {
      const unsigned = handMadeToken({ alg, typ: 'JWT' }, plausibleClaims('1'));
      assert.throws(() => service(hmacKeys).verify(unsigned), invalid, alg);
      assert.throws(() => service(rsaKeys).verify(unsigned), invalid, alg);
    }
    const hs256WithoutSignature = handMadeToken({ alg: 'HS256', typ: 'JWT' }, plausibleClaims('1'));
    assert.throws(() => service(hmacKeys).verify(hs256WithoutSignature), invalid);
  });

  test('refuses a token for another audience or from another issuer', () => {
    const tokens = service(hmacKeys);
    const otherAudience = service(hmacKeys, { audience: 'someone-else' }).issue(ann).access_token;
    const otherIssuer = service(hmacKeys, { issuer: 'someone-else' }).issue(ann).access_token;
    assert.throws(() => tokens.verify(otherAudience), invalid);
    assert.throws(() => tokens.verify(otherIssuer), invalid);
  });

  test('refuses garbage, a token without subject or id, and a subject that is no user id', () => {
    const tokens = service(hmacKeys);
    for (const garbage of ['', 'abc', 'a.b.c', 'rp_not_a_jwt']) {
      assert.throws(() => tokens.verify(garbage), invalid, garbage);
    }
    const { sub: _sub, ...withoutSubject } = plausibleClaims('1');
    const { jti: _jti, ...withoutId } = plausibleClaims('1');
    for (const claims of [withoutSubject, withoutId, plausibleClaims('admin'), plausibleClaims('1 OR 1=1')]) {
      const token = handMadeToken({ alg: 'HS256', typ: 'JWT' }, claims, secret);
      assert.throws(() => tokens.verify(token), invalid, JSON.stringify(claims));
    }
    const wellFormed = handMadeToken({ alg: 'HS256', typ: 'JWT' }, plausibleClaims('7'), secret);
    assert.equal(tokens.verify(wellFormed).userId, '7');
  });
});

describe('token keys from configuration', () => {
  const none = { secret: null, privateKey: null, publicKey: null };

  test('JWT_SECRET gives HS256', () => {
    const keys = createTokenKeys({ ...none, secret, production: true, logger: testLogger() });
    assert.equal(keys.algorithm, 'HS256');
    const tokens = service(keys);
    assert.equal(tokens.verify(tokens.issue(ann).access_token).userId, '42');
  });

  test('JWT_PRIVATE_KEY gives RS256, deriving the public key or checking the one given', () => {
    for (const publicKey of [null, rsa.publicPem]) {
      const keys = createTokenKeys({
        ...none,
        privateKey: rsa.privatePem,
        publicKey,
        production: true,
        logger: testLogger(),
      });
      assert.equal(keys.algorithm, 'RS256');
      const token = service(keys).issue(ann).access_token;
      assert.equal(service(rsaKeys).verify(token).userId, '42');
    }
  });

  test('accepts PEM keys whose newlines arrive written out as \\n', () => {
    const keys = createTokenKeys({
      ...none,
      privateKey: rsa.privatePem.replace(/\n/g, '\\n'),
      publicKey: rsa.publicPem.replace(/\n/g, '\\n'),
      production: true,
      logger: testLogger(),
    });
    assert.equal(keys.algorithm, 'RS256');
  });

  test('in development without a key, generates a secret and warns once, naming it', async () => {
    const { logger, lines } = capturedLogger();
    const keys = createTokenKeys({ ...none, production: false, logger });
    assert.equal(keys.algorithm, 'HS256');
    const warnings = (await lines()).filter((line) => line.level === 'warn');
    assert.equal(warnings.length, 1);
    assert.match(String(warnings[0]!.message), /JWT_SECRET/);
    const generated = String(warnings[0]!.generatedJwtSecret);
    assert.ok(generated.length >= 32);
    const token = service(keys).issue(ann).access_token;
    const fromPrintedSecret = createTokenKeys({ ...none, secret: generated, production: true, logger });
    assert.equal(service(fromPrintedSecret).verify(token).userId, '42');
    const another = createTokenKeys({ ...none, production: false, logger: testLogger() });
    assert.throws(() => service(another).verify(token), invalid, 'each process makes its own secret');
  });

  test('refuses configurations that cannot work, naming the variable', () => {
    const cases: Array<[string, Parameters<typeof createTokenKeys>[0]]> = [
      ['JWT_SECRET', { ...none, production: true, logger: testLogger() }],
      ['JWT_SECRET', { ...none, secret: 'too-short', production: false, logger: testLogger() }],
      [
        'JWT_SECRET',
        { ...none, secret, privateKey: rsa.privatePem, production: false, logger: testLogger() },
      ],
      ['JWT_PRIVATE_KEY', { ...none, publicKey: rsa.publicPem, production: false, logger: testLogger() }],
      ['JWT_PRIVATE_KEY', { ...none, privateKey: 'not a key', production: false, logger: testLogger() }],
      [
        'JWT_PUBLIC_KEY',
        {
          ...none,
          privateKey: rsa.privatePem,
          publicKey: otherRsa.publicPem,
          production: false,
          logger: testLogger(),
        },
      ],
      [
        'JWT_PUBLIC_KEY',
        { ...none, privateKey: rsa.privatePem, publicKey: 'nope', production: false, logger: testLogger() },
      ],
    ];
    for (const [variable, settings] of cases) {
      assert.throws(
        () => createTokenKeys(settings),
        (error: unknown) => error instanceof ConfigError && error.variable === variable,
        variable,
      );
    }
  });
});

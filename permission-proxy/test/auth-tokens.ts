import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';

/** RSA key pairs for RS256 tests: 2048 bits, the least jsonwebtoken accepts. */
export function rsaKeyPair(): {
  privateKey: KeyObject;
  publicKey: KeyObject;
  privatePem: string;
  publicPem: string;
} {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey,
    publicKey,
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A JWT assembled by hand, as an attacker would: any header, any claims, any (or no) signature. */
export function handMadeToken(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  hmacKey?: string | Buffer,
): string {
  const signingInput = `${base64url(header)}.${base64url(claims)}`;
  const signature =
    hmacKey === undefined ? '' : createHmac('sha256', hmacKey).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

/** Claims that would pass every check but the signature's. */
export function plausibleClaims(userId: string, options: { issuer?: string; audience?: string } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: userId,
    iss: options.issuer ?? 'repopulse-test',
    aud: options.audience ?? 'repopulse-test',
    iat: now,
    exp: now + 600,
    jti: 'hand-made',
  };
}

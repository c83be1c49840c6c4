import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * An API key reads `rp_<keyId>_<secret>`: the prefix lets secret scanners and our authenticator tell it
 * from a JWT, the key id finds the row without a scan, and the secret is 32 random bytes (base64url, 43
 * characters) that only the holder knows.
 */
const apiKeyPattern = /^rp_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
export const apiKeyPrefix = 'rp_';

export interface ApiKeyParts {
  keyId: string;
  secret: string;
}

export function generateApiKey(): ApiKeyParts & { key: string } {
  const keyId = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { keyId, secret, key: `${apiKeyPrefix}${keyId}_${secret}` };
}

/** The parts of a well-formed key, or undefined for anything else. */
export function parseApiKey(key: string): ApiKeyParts | undefined {
  const match = apiKeyPattern.exec(key);
  return match ? { keyId: match[1]!, secret: match[2]! } : undefined;
}

/**
 * SHA-256, not argon2: the secret has 256 bits of entropy, so nobody can guess it from its hash however
 * fast the hash is, and a slow hash would only make every API request pay 60 ms of CPU. Passwords, chosen
 * by people, are the case slow hashes exist for.
 */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented secret with the stored hash: no early exit leaks a prefix. */
export function apiKeySecretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashApiKeySecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

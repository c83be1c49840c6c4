import { createPrivateKey, createPublicKey, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { ConfigError, type Logger } from '@repopulse/core';

/**
 * What tokens are signed and checked with. One algorithm only, fixed here from the configuration, so a
 * token cannot choose how it is verified (`alg: none`, or HS256 keyed with our public key).
 */
export type TokenKeys =
  | { algorithm: 'HS256'; secret: KeyObject }
  | { algorithm: 'RS256'; privateKey: KeyObject; publicKey: KeyObject };

export interface TokenKeySettings {
  /** JWT_SECRET: HS256. */
  secret: string | null;
  /** JWT_PRIVATE_KEY and JWT_PUBLIC_KEY (PEM): RS256; the public key may be left out and is then derived. */
  privateKey: string | null;
  publicKey: string | null;
  /** NODE_ENV is `production`: a missing key is then a configuration error, not a generated secret. */
  production: boolean;
  logger: Logger;
}

/** 256 bits, the size of HS256's output: a shorter secret is the weakest part of the signature. */
const minSecretLength = 32;

/** Builds the key material from configuration, or throws ConfigError naming the variable at fault. */
export function createTokenKeys(settings: TokenKeySettings): TokenKeys {
  const { secret, privateKey, publicKey } = settings;
  if (secret !== null && (privateKey !== null || publicKey !== null)) {
    throw new ConfigError('JWT_SECRET', 'set either JWT_SECRET (HS256) or JWT_PRIVATE_KEY (RS256), not both');
  }
  if (secret !== null) return hmacKeys(secret);
  if (privateKey !== null) return rsaKeys(privateKey, publicKey);
  if (publicKey !== null) {
    throw new ConfigError('JWT_PRIVATE_KEY', 'is required with JWT_PUBLIC_KEY: the proxy signs the tokens');
  }
  if (settings.production) {
    throw new ConfigError(
      'JWT_SECRET',
      'is required in production (or JWT_PRIVATE_KEY and JWT_PUBLIC_KEY for RS256)',
    );
  }
  const generated = randomBytes(32).toString('base64url');
  // Printed so a developer can reuse it (set JWT_SECRET) and keep tokens across restarts; in production
  // this branch is unreachable.
  settings.logger.warn(
    'JWT_SECRET is not set: signing with a random secret for this process only; tokens die with it',
    { generatedJwtSecret: generated },
  );
  return { algorithm: 'HS256', secret: createSecretKey(Buffer.from(generated, 'utf8')) };
}

function hmacKeys(secret: string): TokenKeys {
  if (secret.length < minSecretLength) {
    throw new ConfigError('JWT_SECRET', `must have at least ${minSecretLength} characters`);
  }
  return { algorithm: 'HS256', secret: createSecretKey(Buffer.from(secret, 'utf8')) };
}

function rsaKeys(privatePem: string, publicPem: string | null): TokenKeys {
  const privateKey = parseKey('JWT_PRIVATE_KEY', () => createPrivateKey(unescapeNewlines(privatePem)));
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new ConfigError('JWT_PRIVATE_KEY', 'must be an RSA private key (RS256)');
  }
  if ((privateKey.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    throw new ConfigError('JWT_PRIVATE_KEY', 'must be an RSA key of at least 2048 bits');
  }
  const derived = createPublicKey(privateKey);
  if (publicPem === null) return { algorithm: 'RS256', privateKey, publicKey: derived };
  const publicKey = parseKey('JWT_PUBLIC_KEY', () => createPublicKey(unescapeNewlines(publicPem)));
  if (!sameKey(publicKey, derived)) {
    throw new ConfigError('JWT_PUBLIC_KEY', 'is not the public half of JWT_PRIVATE_KEY');
  }
  return { algorithm: 'RS256', privateKey, publicKey };
}

function parseKey(variable: string, parse: () => KeyObject): KeyObject {
  try {
    return parse();
  } catch (error) {
    throw new ConfigError(variable, `is not a PEM key node:crypto can read (${(error as Error).message})`);
  }
}

/** A PEM passed through an environment variable often arrives with `\n` written out. */
function unescapeNewlines(pem: string): string {
  return pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem;
}

function sameKey(left: KeyObject, right: KeyObject): boolean {
  const format = { format: 'jwk' } as const;
  const a = left.export(format);
  const b = right.export(format);
  return a.n === b.n && a.e === b.e;
}

import argon2 from 'argon2';

/**
 * argon2id with OWASP's minimum profile (19 MiB, 2 passes, 1 lane): about 60 ms per hash on one core.
 * Memory-hard so guessing on GPUs is expensive, yet cheap enough that a burst of logins does not starve the
 * libuv thread pool (4 threads). A stored hash made with other parameters still verifies, and then reports
 * `needsRehash` so the login that proved the password can store a hash with the current ones.
 */
export const passwordHashParameters = {
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** argon2 hashes any length, but a megabyte "password" would only be a way to burn our CPU. */
export const maxPasswordLength = 1024;

export async function hashPassword(password: string): Promise<string> {
  // argon2 draws a random 16-byte salt per hash and stores it, with the parameters, in the PHC string.
  return argon2.hash(password, { type: argon2.argon2id, ...passwordHashParameters });
}

export interface PasswordCheck {
  valid: boolean;
  /** The password is right but the stored hash uses other parameters than today's. */
  needsRehash: boolean;
}

export async function verifyPassword(storedHash: string, password: string): Promise<PasswordCheck> {
  if (password.length > maxPasswordLength) return { valid: false, needsRehash: false };
  let valid: boolean;
  try {
    valid = await argon2.verify(storedHash, password);
  } catch {
    // Not a PHC string argon2 can read (a corrupt row): nobody can log in with it.
    return { valid: false, needsRehash: false };
  }
  return {
    valid,
    needsRehash: valid && (!storedHash.startsWith('$argon2id$') || needsRehash(storedHash)),
  };
}

function needsRehash(storedHash: string): boolean {
  try {
    return argon2.needsRehash(storedHash, passwordHashParameters);
  } catch {
    return true;
  }
}

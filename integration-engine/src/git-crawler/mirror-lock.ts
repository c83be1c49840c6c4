import { open, readFile, rm, stat, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Logger } from '@repopulse/core';

export interface MirrorLockOptions {
  logger: Logger;
  signal?: AbortSignal;
  /** Give up waiting for another crawl of the same mirror after this long (an ordinary, retried error). */
  waitTimeoutMs: number;
  /** A lock whose holder has not touched it for this long is taken to be left behind by a dead process. */
  staleAfterMs?: number;
}

interface LockOwner {
  pid: number;
  host: string;
  acquiredAt: string;
}

const defaultStaleAfterMs = 120_000;

/**
 * Runs `work` holding `<mirror>.lock`, so two crawls of one mirror never fetch into it or read it at once,
 * whether they run in this process or in another engine replica sharing the cache directory. The lock is
 * a file created with O_EXCL; its holder touches it while it works. A lock is stale, and is removed, when
 * it has not been touched for `staleAfterMs`, or at once when it names a process of this host that is gone.
 * A stale lock is removed only under `<mirror>.lock.takeover` (also O_EXCL), and only if it is still stale
 * then: two waiters that found the same stale lock cannot both take it, the second removing the lock the
 * first had just made.
 */
export async function withMirrorLock<T>(
  mirrorDirectory: string,
  options: MirrorLockOptions,
  work: () => Promise<T>,
): Promise<T> {
  const lockPath = `${mirrorDirectory}.lock`;
  const staleAfterMs = options.staleAfterMs ?? defaultStaleAfterMs;
  await acquire(lockPath, staleAfterMs, options);
  const heartbeat = setInterval(
    () => {
      const now = new Date();
      utimes(lockPath, now, now).catch(() => {});
    },
    Math.max(1_000, staleAfterMs / 4),
  );
  heartbeat.unref();
  try {
    return await work();
  } finally {
    clearInterval(heartbeat);
    await rm(lockPath, { force: true });
  }
}

async function acquire(lockPath: string, staleAfterMs: number, options: MirrorLockOptions): Promise<void> {
  const deadline = Date.now() + options.waitTimeoutMs;
  let delayMs = 50;
  let logged = false;
  for (;;) {
    options.signal?.throwIfAborted();
    if (await tryCreate(lockPath)) return;
    if (
      (await isStale(lockPath, staleAfterMs)) &&
      (await removeIfStillStale(lockPath, staleAfterMs, options))
    )
      continue;
    if (Date.now() >= deadline) {
      throw new Error(
        `git mirror ${lockPath} stayed locked by another crawl for ${options.waitTimeoutMs} ms`,
      );
    }
    if (!logged) {
      options.logger.info('waiting for another crawl of the same git mirror', { lockPath });
      logged = true;
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    delayMs = Math.min(1_000, delayMs * 2);
  }
}

/** A takeover is a stat, a read and a removal: a takeover file this old was left by a process that died in one. */
const takeoverStaleAfterMs = 10_000;

/**
 * Removes a lock judged stale, holding the takeover file so that no other waiter removes one meanwhile,
 * and judging it again under it (its holder may have changed since it was judged). Says whether the
 * caller should try to create the lock at once (false: another waiter is taking over; wait and look again).
 */
async function removeIfStillStale(
  lockPath: string,
  staleAfterMs: number,
  options: MirrorLockOptions,
): Promise<boolean> {
  const takeoverPath = `${lockPath}.takeover`;
  if (!(await tryCreate(takeoverPath))) {
    if (await isStale(takeoverPath, takeoverStaleAfterMs)) await rm(takeoverPath, { force: true });
    return false;
  }
  try {
    if (await isStale(lockPath, staleAfterMs)) {
      options.logger.warn('removing a stale git mirror lock', { lockPath });
      await rm(lockPath, { force: true });
    }
    return true;
  } finally {
    await rm(takeoverPath, { force: true });
  }
}

async function tryCreate(lockPath: string): Promise<boolean> {
  const owner: LockOwner = { pid: process.pid, host: hostname(), acquiredAt: new Date().toISOString() };
  try {
    const file = await open(lockPath, 'wx');
    try {
      await file.writeFile(JSON.stringify(owner));
    } finally {
      await file.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function isStale(lockPath: string, staleAfterMs: number): Promise<boolean> {
  try {
    const { mtimeMs } = await stat(lockPath);
    if (Date.now() - mtimeMs > staleAfterMs) return true;
    const owner = JSON.parse(await readFile(lockPath, 'utf8')) as Partial<LockOwner>;
    return owner.host === hostname() && typeof owner.pid === 'number' && !isProcessAlive(owner.pid);
  } catch (error) {
    // Gone in between (the holder finished): not stale, the next attempt to create it decides.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    // Written but not yet filled in by its holder, or garbled: judged by its age alone.
    if (error instanceof SyntaxError) return false;
    throw error;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

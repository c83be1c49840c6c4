import { createHash } from 'node:crypto';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@repopulse/core';
import { GitCommandError, runGit, type GitCommandOptions } from './git-command.js';
import type { GitRemote } from './git-remote-guard.js';
import {
  GitRepositoryUnavailableError,
  isRepositoryUnavailableMessage,
  redactGitUrl,
} from './git-repository-unavailable-error.js';

export interface MirrorOptions {
  /** The target as named: it keys the mirror directory and names the repository in errors. */
  gitUrl: string;
  /** Where and how git may reach it, as the guard checked it just now. */
  remote: GitRemote;
  directory: string;
  timeoutMs: number;
  logger: Logger;
  signal?: AbortSignal;
}

/**
 * One directory per URL: a readable tail of the URL (no credentials) and a hash of the whole, so two URLs
 * never share a mirror and no URL can climb out of the cache directory.
 */
export function mirrorDirectoryFor(cacheDir: string, gitUrl: string): string {
  const digest = createHash('sha256').update(gitUrl).digest('hex').slice(0, 16);
  const readable = redactGitUrl(gitUrl)
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/^[^/@]*@/, '')
    .replace(/(\.git)?\/*$/, '')
    .replace(/[^a-zA-Z0-9._-]+/g, '-')
    .replace(/^[-.]+/, '')
    .slice(-60)
    .toLowerCase();
  return join(cacheDir, `${readable || 'repository'}-${digest}.git`);
}

/**
 * Brings the bare mirror up to date: cloned the first time, fetched (with pruning) after. Only branches and
 * tags are mirrored, not everything `clone --mirror` would take: on GitHub that would include every pull
 * request's refs/pull/*, often more than the branches themselves.
 */
export async function updateMirror(options: MirrorOptions): Promise<'cloned' | 'fetched'> {
  try {
    if (await exists(join(options.directory, 'HEAD'))) {
      await fetchMirror(options);
      return 'fetched';
    }
    await cloneMirror(options);
    return 'cloned';
  } catch (error) {
    throw await translateGitError(error, options);
  }
}

/** The options of a command that reaches the remote: its one transport and its pinned address. */
function reaching(remote: GitRemote, options: GitCommandOptions): GitCommandOptions {
  return { ...options, allowedProtocol: remote.allowedProtocol, configuration: remote.configuration };
}

async function cloneMirror({ remote, directory, timeoutMs, signal }: MirrorOptions): Promise<void> {
  // Cloned beside the mirror and renamed at the end: a clone cut short never passes for a mirror.
  const partial = `${directory}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(join(directory, '..'), { recursive: true });
  await runGit(
    ['clone', '--bare', '--quiet', '--', remote.url, partial],
    reaching(remote, { timeoutMs, signal }),
  );
  const local = { gitDirectory: partial, timeoutMs, signal };
  await runGit(['config', 'remote.origin.fetch', '+refs/heads/*:refs/heads/*'], local);
  await runGit(['config', '--add', 'remote.origin.fetch', '+refs/tags/*:refs/tags/*'], local);
  await rename(partial, directory);
}

async function fetchMirror({ remote, directory, timeoutMs, signal, logger }: MirrorOptions): Promise<void> {
  const local = { gitDirectory: directory, timeoutMs, signal };
  // origin is where the checked redirects end today (a repository moved since the clone moves with it).
  await runGit(['remote', 'set-url', 'origin', remote.url], local);
  await runGit(['fetch', '--prune', '--quiet', 'origin'], reaching(remote, local));
  // A fetch does not move HEAD: follow the remote's default branch when it changes (master → main).
  const { stdout } = await runGit(['ls-remote', '--symref', 'origin', 'HEAD'], reaching(remote, local));
  const remoteHead = /^ref: (refs\/heads\/\S+)\tHEAD$/m.exec(stdout)?.[1];
  if (remoteHead === undefined) return;
  const current = await runGit(['symbolic-ref', '--quiet', 'HEAD'], { ...local, acceptedExitCodes: [0, 1] });
  if (current.stdout.trim() === remoteHead) return;
  const known = await runGit(['show-ref', '--verify', '--quiet', remoteHead], {
    ...local,
    acceptedExitCodes: [0, 1],
  });
  if (known.exitCode !== 0) return;
  await runGit(['symbolic-ref', 'HEAD', remoteHead], local);
  logger.info('default branch changed', { from: current.stdout.trim(), to: remoteHead });
}

async function translateGitError(error: unknown, { gitUrl, remote, directory, logger }: MirrorOptions) {
  if (!(error instanceof GitCommandError)) return error;
  const message = error.stderr
    .split(remote.url)
    .join(redactGitUrl(remote.url))
    .split(gitUrl)
    .join(redactGitUrl(gitUrl))
    .trim();
  if (message.includes(directory)) {
    // The mirror itself is damaged (an interrupted write, a full disk): cloned afresh on the next attempt.
    logger.warn('git mirror damaged, removing it', { directory, message });
    await rm(directory, { recursive: true, force: true });
    return new Error(`git ${error.command} failed on the mirror: ${message}`);
  }
  if (!error.timedOut && isRepositoryUnavailableMessage(message)) {
    return new GitRepositoryUnavailableError(redactGitUrl(gitUrl), message);
  }
  return new Error(
    error.timedOut
      ? `git ${error.command} of ${redactGitUrl(gitUrl)} did not finish in time`
      : `git ${error.command} of ${redactGitUrl(gitUrl)} failed: ${message}`,
  );
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

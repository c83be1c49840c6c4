import { mkdir } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { CrawlTargetCaller, Logger, Queryable } from '@repopulse/core';
import { refreshActivityDays } from '../activity/refresh-activity-days.js';
import { TouchedDays } from '../activity/touched-days.js';
import { deleteCommits } from './delete-commits.js';
import type { GitCommandOptions } from './git-command.js';
import { readCommits } from './git-log-stream.js';
import { mirrorDirectoryFor, updateMirror } from './git-mirror.js';
import type { GitRemoteGuard } from './git-remote-guard.js';
import { redactGitUrl } from './git-repository-unavailable-error.js';
import { createMailmapResolver } from './mailmap-resolver.js';
import { withMirrorLock } from './mirror-lock.js';
import { commitsLeftBehind, hasCommit, isAncestor, readDefaultBranch } from './mirror-refs.js';
import { readGitHead, recordGitCrawl } from './repository-git-state.js';
import { storeCommitStream } from './store-commit-stream.js';
import { readVersionTags, storeVersionTags } from './store-version-tags.js';

export { CrawlTargetRefusedError } from './crawl-target-refused-error.js';
export { createGitRemoteGuard } from './git-remote-guard.js';
export type { GitRemoteGuard } from './git-remote-guard.js';
export { GitRepositoryUnavailableError } from './git-repository-unavailable-error.js';

export interface CrawlGitRepositoryOptions {
  /** All writes go through it; the caller commits. */
  transaction: Queryable;
  /** `repositories.id`; the row exists. */
  repositoryId: string;
  /** A path, `file://`, `https://`, `http://`, `ssh://`, `git://` or `git@host:owner/name` URL. */
  gitUrl: string;
  /** Who named the target: the crawl target policy decides by it what the target may be. */
  caller: CrawlTargetCaller;
  /** Checks the target, follows its redirects and pins its address before every clone or fetch. */
  guard: GitRemoteGuard;
  /** GIT_CACHE_DIR: one bare mirror per URL lives here. */
  cacheDir: string;
  logger: Logger;
  signal?: AbortSignal;
  /** Each git process (clone, fetch, log) is stopped after this long. Default 30 minutes. */
  gitTimeoutMs?: number;
  /** Commits per INSERT statement. Default 5,000. */
  batchSize?: number;
}

export interface GitCrawlResult {
  /** The default branch's head now; null for an empty repository. */
  head: string | null;
  /** Commits stored that were not stored before. */
  newCommits: number;
  /** Commits read from git: all of the default branch's the first time, only those since the last crawl after. */
  commitsRead: number;
  /** Commits removed because they left the default branch (a force push). */
  commitsRemoved: number;
  /** Updating the mirror: clone or fetch. */
  fetchedMs: number;
  /** Reading, parsing and storing the commits (one pipeline), and the activity rollup of their days. */
  parsedMs: number;
}

const defaultGitTimeoutMs = 30 * 60_000;
const defaultBatchSize = 5_000;
const shaPattern = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * Reads a repository's git history into `commits` (docs/METRICS.md: the commits reachable from the default
 * branch, merges included and marked) and recounts the activity of the days touched, and its version tags
 * into `version_tags`. Incremental: only the commits added since the head recorded last time are read,
 * unless that head left the branch.
 * Throws `GitRepositoryUnavailableError` for a URL that names no readable repository, and
 * `CrawlTargetRefusedError` for one the caller may not name (or that redirects where it may not).
 */
export async function crawlGitRepository(options: CrawlGitRepositoryOptions): Promise<GitCrawlResult> {
  const { transaction, repositoryId, gitUrl, signal } = options;
  const logger = options.logger.child({ module: 'git-crawler', repositoryId });
  const directory = mirrorDirectoryFor(options.cacheDir, gitUrl);
  const timeoutMs = options.gitTimeoutMs ?? defaultGitTimeoutMs;
  const git: GitCommandOptions = { gitDirectory: directory, timeoutMs, signal };
  await mkdir(options.cacheDir, { recursive: true });
  const recordedHead = await readGitHead(transaction, repositoryId);

  return withMirrorLock(directory, { logger, signal, waitTimeoutMs: timeoutMs }, async () => {
    const fetchStart = performance.now();
    const remote = await options.guard.remoteFor(gitUrl, options.caller, signal);
    const how = await updateMirror({ gitUrl, remote, directory, timeoutMs, logger, signal });
    const branch = await readDefaultBranch(git);
    const fetchedMs = performance.now() - fetchStart;

    const parseStart = performance.now();
    const plan = await planRead(recordedHead, branch.head, git, logger);
    const touched = new TouchedDays();
    const commitsRemoved = await deleteCommits(transaction, repositoryId, plan.leftBehind, touched);
    let stored = { read: 0, inserted: 0 };
    if (plan.revisions.length > 0) {
      const mailmap = createMailmapResolver(git);
      try {
        stored = await storeCommitStream({
          transaction,
          repositoryId,
          commits: readCommits(plan.revisions, git),
          mailmap,
          touched,
          batchSize: options.batchSize ?? defaultBatchSize,
          signal,
        });
      } finally {
        await mailmap.close();
      }
    }
    await refreshActivityDays(transaction, touched);
    await storeVersionTags(transaction, repositoryId, await readVersionTags(git));
    await recordGitCrawl(transaction, {
      repositoryId,
      head: branch.head,
      defaultBranch: branch.name,
      gitUrl: redactGitUrl(gitUrl),
    });
    const result: GitCrawlResult = {
      head: branch.head,
      newCommits: stored.inserted,
      commitsRead: stored.read,
      commitsRemoved,
      fetchedMs: Math.round(fetchedMs),
      parsedMs: Math.round(performance.now() - parseStart),
    };
    logger.info('git repository crawled', {
      mirror: how,
      defaultBranch: branch.name,
      days: touched.size,
      ...result,
    });
    return result;
  });
}

interface ReadPlan {
  /** `git log` revisions; none when there is nothing new. */
  revisions: string[];
  /** Commits stored earlier that a force push took off the branch. */
  leftBehind: string[];
}

async function planRead(
  recordedHead: string | null,
  head: string | null,
  git: GitCommandOptions,
  logger: Logger,
): Promise<ReadPlan> {
  if (head === null) return { revisions: [], leftBehind: [] };
  if (recordedHead === null || !shaPattern.test(recordedHead)) return { revisions: [head], leftBehind: [] };
  if (recordedHead === head) return { revisions: [], leftBehind: [] };
  if (await isAncestor(recordedHead, head, git))
    return { revisions: [head, `^${recordedHead}`], leftBehind: [] };
  // History rewritten: everything is read again (unchanged rows are not rewritten), and the commits that
  // only the old head reached are removed, if the mirror still has them to say which those are.
  if (!(await hasCommit(recordedHead, git))) {
    logger.warn('default branch rewritten and its old head is gone from the mirror; old commits kept', {
      recordedHead,
      head,
    });
    return { revisions: [head], leftBehind: [] };
  }
  logger.info('default branch rewritten, reading it all again', { recordedHead, head });
  return { revisions: [head], leftBehind: await commitsLeftBehind(recordedHead, head, git) };
}

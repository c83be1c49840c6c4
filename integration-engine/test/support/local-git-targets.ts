import { createCrawlTargetPolicy } from '@repopulse/core';
import { createGitRemoteGuard } from '../../src/git-crawler/crawl-git-repository.js';

/**
 * For crawls of the tests' repositories on this machine: named as an admin's source would name them, with
 * GIT_ALLOW_LOCAL=1, the only way the crawl target policy lets git reach a local path.
 */
export const localGitTargets = {
  caller: 'admin-source',
  guard: createGitRemoteGuard({ policy: createCrawlTargetPolicy({ allowLocal: true }) }),
} as const;

/**
 * How a crawl failure is treated: `permanent` ends the repository's crawl as failed with the reason (404,
 * 451, not a git repository, a target the crawl target policy refuses), `deferred` waits for a quota to reset, anything else is retried.
 */
export type CrawlFailureKind = 'permanent' | 'deferred' | 'transient';

export interface ClassifiedFailure {
  kind: CrawlFailureKind;
  reason: string;
  delayMs?: number;
}

/** Classifies by duck typing, so this module need not know every backend's error classes. */
export function classifyCrawlFailure(error: unknown): ClassifiedFailure {
  const failure = error as {
    name?: string;
    message?: string;
    status?: number;
    retryAfterMs?: number;
    resetAt?: Date;
  };
  const reason = `${failure?.name ?? 'Error'}: ${failure?.message ?? String(error)}`;
  switch (failure?.name) {
    case 'GithubNotFoundError':
    case 'GithubUnavailableError':
    case 'GitRepositoryUnavailableError':
    case 'CrawlTargetRefusedError':
      return { kind: 'permanent', reason };
    case 'RateLimitedError': {
      const delayMs =
        failure.retryAfterMs ??
        (failure.resetAt ? Math.max(0, failure.resetAt.getTime() - Date.now()) : 60_000);
      return { kind: 'deferred', reason, delayMs };
    }
    default:
      return { kind: 'transient', reason };
  }
}

import { DeferMessage } from '@repopulse/core';

/**
 * What can go wrong talking to GitHub, sorted by what the caller should do about it:
 * - wait: `RateLimitedError` (every token spent until `resetAt`; defer the message with `deferUntilReset`);
 * - retry later: `GithubServerError` (5xx, network, timeouts, after the client's own retries) and its
 *   `GithubQueryTooExpensiveError` (shrink the page: `withAdaptivePageSize`);
 * - give up on this target for good: `GithubNotFoundError`, `GithubUnavailableError`, `GithubRequestError`;
 * - fix the configuration: `GithubAuthError` (no token GitHub accepts).
 */
export class GithubError extends Error {
  override readonly name: string = 'GithubError';
  constructor(
    message: string,
    /** The HTTP status GitHub answered, null when it did not answer. */
    readonly status: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** True when retrying the same request later cannot succeed. */
  get permanent(): boolean {
    return false;
  }
}

export type RateLimitResource = 'core' | 'graphql' | (string & {});

/** Every token is spent for `resource` (primary limit) or GitHub asked for a long pause (secondary limit). */
export class RateLimitedError extends GithubError {
  override readonly name = 'RateLimitedError';
  /** How long from when the error was made until the quota returns. */
  readonly retryAfterMs: number;

  constructor(
    readonly resource: RateLimitResource,
    readonly resetAt: Date,
    readonly kind: 'primary' | 'secondary',
    now = Date.now(),
  ) {
    super(
      kind === 'primary'
        ? `every GitHub token is spent for ${resource} until ${resetAt.toISOString()}`
        : `GitHub's secondary rate limit asks to wait until ${resetAt.toISOString()}`,
      kind === 'primary' ? 403 : 429,
    );
    this.retryAfterMs = Math.max(0, resetAt.getTime() - now);
  }
}

/** No token GitHub accepts is left (401 Bad credentials on each), or the API needs one and none is set. */
export class GithubAuthError extends GithubError {
  override readonly name = 'GithubAuthError';
  constructor(message: string) {
    super(message, 401);
  }
  override get permanent(): boolean {
    return true;
  }
}

/** 404 or 410, or GraphQL NOT_FOUND: the repository, owner or item does not exist (or is not visible). */
export class GithubNotFoundError extends GithubError {
  override readonly name = 'GithubNotFoundError';
  constructor(status: number, message: string) {
    super(message, status);
  }
  override get permanent(): boolean {
    return true;
  }
}

/** 451 (blocked: DMCA, terms of service) or 403 forbidden: it exists, but GitHub will not serve it. */
export class GithubUnavailableError extends GithubError {
  override readonly name = 'GithubUnavailableError';
  constructor(status: number, message: string) {
    super(message, status);
  }
  override get permanent(): boolean {
    return true;
  }
}

/** A request GitHub refuses as malformed (400, 422, a GraphQL document it cannot run): a bug on our side. */
export class GithubRequestError extends GithubError {
  override readonly name = 'GithubRequestError';
  constructor(
    status: number,
    message: string,
    /** GraphQL's `errors`, when there were any. */
    readonly errors: readonly GithubGraphqlErrorDetail[] = [],
  ) {
    super(message, status);
  }
  override get permanent(): boolean {
    return true;
  }
}

/** 5xx, a network error or a timeout, still failing after the client's retries: try again later. */
export class GithubServerError extends GithubError {
  override readonly name: string = 'GithubServerError';
}

/**
 * GitHub gave up on a GraphQL query as too heavy (RESOURCE_LIMITS_EXCEEDED, or a 502/504 timeout). Asking
 * for smaller pages usually works: see `withAdaptivePageSize`. Transient otherwise.
 */
export class GithubQueryTooExpensiveError extends GithubServerError {
  override readonly name = 'GithubQueryTooExpensiveError';
}

/** One entry of a GraphQL answer's `errors`, as GitHub writes it. */
export interface GithubGraphqlErrorDetail {
  type?: string;
  message: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
}

/** Margin past GitHub's reset second, so the deferred message does not arrive a moment early. */
const resetMarginMs = 1_000;

/** The queue worker's way to hold a message until the quota returns, rather than failing or spinning. */
export function deferUntilReset(error: RateLimitedError, now = Date.now()): DeferMessage {
  const delayMs = Math.max(0, error.resetAt.getTime() - now) + resetMarginMs;
  return new DeferMessage(delayMs, error.message);
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@repopulse/core';
import {
  GithubAuthError,
  GithubNotFoundError,
  GithubQueryTooExpensiveError,
  GithubRequestError,
  GithubServerError,
  GithubUnavailableError,
  RateLimitedError,
} from './github-errors.js';
import {
  rateLimitKind,
  readRateLimitHeaders,
  retryAfterMs,
  type RateLimitHeaders,
} from './github-rate-limit.js';
import type { PoolToken, TokenPool } from './github-token-pool.js';

export interface TransportSettings {
  pool: TokenPool;
  fetch: typeof fetch;
  logger: Logger;
  userAgent: string;
  requestTimeoutMs: number;
  /** Retries of a 5xx, network error or timeout before GithubServerError. */
  maxRetries: number;
  retryBaseDelayMs: number;
  /** A secondary limit asking for longer than this is a RateLimitedError instead of a pause. */
  maxSecondaryWaitMs: number;
  now: () => number;
}

export interface TransportRequest {
  resource: string;
  method: 'GET' | 'POST';
  url: string;
  /** For errors and logs: `GET /repos/acme/widget`, `GraphQL`. */
  what: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** GraphQL: a 200 whose body says the quota is spent (`errors[].type === 'RATE_LIMITED'`). */
  isRateLimitedBody?: (body: unknown) => boolean;
  /** GraphQL: a 5xx that means "the query was too heavy" rather than "try again". */
  isTooExpensive?: (status: number, body: unknown) => boolean;
}

export interface TransportAnswer {
  status: number;
  headers: Headers;
  body: unknown;
  token: PoolToken;
  rate: RateLimitHeaders | undefined;
}

/** Guards against a loop between tokens GitHub keeps refusing in ways the pool does not learn from. */
const maxAttempts = 20;
const maxSecondaryWaits = 3;

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function messageOf(body: unknown, fallback: string): string {
  const message = (body as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message !== '' ? message : fallback;
}

function blockReason(body: unknown): string {
  const reason = (body as { block?: { reason?: unknown } } | null)?.block?.reason;
  return typeof reason === 'string' ? ` (${reason})` : '';
}

function describeFailure(error: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? ` ${cause.code}` : '';
  return `${(error as Error).message}${code}`;
}

/**
 * One request to GitHub through the token pool: picks a token, rotates on 401 and spent quotas, waits out
 * short secondary limits, retries 5xx and network failures with jittered backoff, and turns every other
 * refusal into the typed error the caller acts on. Returns 2xx and 304 answers.
 */
export async function sendToGithub(
  settings: TransportSettings,
  request: TransportRequest,
): Promise<TransportAnswer> {
  const { pool, logger, now } = settings;
  let transientFailures = 0;
  let secondaryWaits = 0;

  async function backoff(reason: string, status: number | null, cause?: unknown): Promise<void> {
    transientFailures++;
    if (transientFailures > settings.maxRetries) {
      throw new GithubServerError(
        `GitHub failed ${request.what} ${transientFailures} times, last: ${reason}`,
        status,
        { cause },
      );
    }
    const delay =
      Math.min(30_000, settings.retryBaseDelayMs * 2 ** (transientFailures - 1)) * (0.5 + Math.random());
    logger.warn('GitHub request failed, retrying', {
      what: request.what,
      reason,
      attempt: transientFailures,
      delay,
    });
    await sleep(delay, undefined, { signal: request.signal });
  }

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    request.signal?.throwIfAborted();
    const token = await pool.acquire(request.resource);
    const timeout = AbortSignal.timeout(settings.requestTimeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const started = now();
    let response: Response;
    let text: string;
    try {
      response = await settings.fetch(request.url, {
        method: request.method,
        headers: {
          'user-agent': settings.userAgent,
          'x-github-api-version': '2022-11-28',
          ...(token.value === null ? {} : { authorization: `Bearer ${token.value}` }),
          ...request.headers,
        },
        body: request.body,
        signal,
      });
      text = await response.text();
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      await backoff(describeFailure(error, timeout.aborted, settings.requestTimeoutMs), null, error);
      continue;
    }
    const { status, headers } = response;
    const body = parseBody(text);
    const message = messageOf(body, response.statusText || `HTTP ${status}`);
    const rate = readRateLimitHeaders(headers);
    logger.debug('GitHub answered', { what: request.what, status, token: token.label, ms: now() - started });
    if (status === 401) {
      // The rate-limit headers of a 401 are the caller address's, not the token's: not recorded.
      if (token.value === null)
        throw new GithubAuthError(`GitHub needs a token for ${request.what}: ${message}`);
      await pool.reject(token, message);
      continue;
    }
    if (rate) await pool.recordQuota(token, rate.resource ?? request.resource, rate);
    const limit = rateLimitKind(status, headers, message);
    if (limit === 'primary' || (status < 300 && request.isRateLimitedBody?.(body))) {
      await pool.markSpent(
        token,
        rate?.resource ?? request.resource,
        rate?.resetAt ?? new Date(now() + 60_000),
      );
      continue;
    }
    if (limit === 'secondary') {
      // GitHub: without a retry-after, wait at least a minute.
      const waitMs = retryAfterMs(headers, now()) ?? 60_000;
      if (waitMs > settings.maxSecondaryWaitMs || secondaryWaits >= maxSecondaryWaits) {
        throw new RateLimitedError(request.resource, new Date(now() + waitMs), 'secondary', now());
      }
      secondaryWaits++;
      logger.warn('GitHub secondary rate limit, waiting', { what: request.what, token: token.label, waitMs });
      await sleep(waitMs, undefined, { signal: request.signal });
      continue;
    }
    if (status >= 500) {
      if (request.isTooExpensive?.(status, body)) throw new GithubQueryTooExpensiveError(message, status);
      await backoff(`${status} ${message}`, status);
      continue;
    }
    if (status === 404 || status === 410)
      throw new GithubNotFoundError(status, `${message}: ${request.what}`);
    if (status === 451 || status === 403) {
      throw new GithubUnavailableError(status, `${message}${blockReason(body)}: ${request.what}`);
    }
    if (status >= 400) throw new GithubRequestError(status, `${message}: ${request.what}`);
    return { status, headers, body, token, rate };
  }
  throw new GithubServerError(`GitHub kept refusing ${request.what} after ${maxAttempts} attempts`, null);
}

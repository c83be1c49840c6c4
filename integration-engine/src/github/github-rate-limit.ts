/** GitHub's `x-ratelimit-*` headers, present on REST and GraphQL answers alike. */
export interface RateLimitHeaders {
  limit: number | null;
  remaining: number;
  resetAt: Date;
  used: number | null;
  /** `core`, `graphql`, `search`…; null when GitHub did not say. */
  resource: string | null;
}

function integer(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? Math.trunc(parsed) : null;
}

export function readRateLimitHeaders(headers: Headers): RateLimitHeaders | undefined {
  const remaining = integer(headers.get('x-ratelimit-remaining'));
  const reset = integer(headers.get('x-ratelimit-reset'));
  if (remaining === null || reset === null) return undefined;
  return {
    limit: integer(headers.get('x-ratelimit-limit')),
    remaining,
    resetAt: new Date(reset * 1_000),
    used: integer(headers.get('x-ratelimit-used')),
    resource: headers.get('x-ratelimit-resource'),
  };
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from `now`; null when absent. */
export function retryAfterMs(headers: Headers, now: number): number | null {
  const value = headers.get('retry-after');
  if (value === null) return null;
  const seconds = integer(value);
  if (seconds !== null) return Math.max(0, seconds * 1_000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export type RateLimitKind = 'primary' | 'secondary' | undefined;

/**
 * Which limit a 403/429 is about, in the order GitHub's documentation gives: a `retry-after` header means
 * a secondary limit; `x-ratelimit-remaining: 0` the primary one; else the message decides (a 403 can also
 * be a plain refusal, e.g. a blocked repository).
 */
export function rateLimitKind(status: number, headers: Headers, message: string): RateLimitKind {
  if (status !== 403 && status !== 429) return undefined;
  if (headers.get('retry-after') !== null) return 'secondary';
  if (headers.get('x-ratelimit-remaining') === '0') return 'primary';
  if (/secondary rate limit|abuse detection/i.test(message)) return 'secondary';
  if (/rate limit/i.test(message) || status === 429) return 'secondary';
  return undefined;
}

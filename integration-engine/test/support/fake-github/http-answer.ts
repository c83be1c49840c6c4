import type { FakeQuota } from './fake-github-types.js';

/** What the fake server sends back for one request. */
export interface Answer {
  status: number;
  body?: unknown;
  /** A body sent as is (GitHub's load balancer answers 502/504 with HTML). */
  text?: string;
  headers?: Record<string, string>;
  /** Quota points charged. */
  cost: number;
}

export function rateLimitHeaders(quota: FakeQuota, resource: string): Record<string, string> {
  return {
    'x-ratelimit-limit': String(quota.limit),
    'x-ratelimit-remaining': String(quota.remaining),
    'x-ratelimit-reset': String(Math.floor(quota.resetAt.getTime() / 1_000)),
    'x-ratelimit-used': String(quota.limit - quota.remaining),
    'x-ratelimit-resource': resource,
  };
}

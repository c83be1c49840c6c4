import { TooManyRequestsError } from '@repopulse/core';
import type { Response } from 'express';
import type { RateLimiter, RateLimitOutcome } from '../rate-limits/shared-rate-limiter.js';
import { principalOf, type ProxyRequest, type RecordDenial } from './proxy-request.js';

function setRateLimitHeaders(response: Response, outcome: RateLimitOutcome, perMinute: number): void {
  response.setHeader('RateLimit-Limit', String(outcome.limit));
  response.setHeader('RateLimit-Remaining', String(outcome.remaining));
  response.setHeader('RateLimit-Reset', String(outcome.resetSeconds));
  response.setHeader(
    'RateLimit-Policy',
    `${outcome.limit};w=${Math.round((outcome.limit / perMinute) * 60)}`,
  );
}

/** How much: the allowing rule's window for this caller, shared by every replica; past it, 429. */
export function rateLimitStep(options: { rateLimiter: RateLimiter; recordDenial: RecordDenial }) {
  return async (context: ProxyRequest): Promise<void> => {
    const rule = context.rule;
    if (!rule?.rateLimitPerMinute || !rule.rateLimitBurst) return;
    const principal = principalOf(context.identity, context.request);
    const outcome = await options.rateLimiter.take(
      `${rule.id}|${principal.key}`,
      rule.rateLimitPerMinute,
      rule.rateLimitBurst,
    );
    setRateLimitHeaders(context.response, outcome, rule.rateLimitPerMinute);
    if (outcome.allowed) return;
    options.recordDenial(context, 'request.rate-limited', 429, 'rate limit');
    throw new TooManyRequestsError(
      `At most ${rule.rateLimitBurst} requests at once and ${rule.rateLimitPerMinute} a minute on ${rule.pathPattern}`,
      outcome.retryAfterSeconds,
    );
  };
}

import {
  ForbiddenError,
  identityHeaders,
  TooManyRequestsError,
  UnauthorisedError,
  type Identity,
  type Logger,
} from '@repopulse/core';
import type { Request, RequestHandler, Response } from 'express';
import type { AclCache } from './access-control/acl-cache.js';
import { decideAccess, matchRule, type AclRule } from './access-control/acl-rules.js';
import { applyScopes } from './access-control/scopes.js';
import { routeTargetFor, type Upstreams } from './access-control/upstream-routes.js';
import type { AuditTrail, Forwarder, RequestAuthenticator } from './contracts.js';
import type { RateLimiter } from './rate-limits/token-bucket-limiter.js';
import type { UsageRecorder } from './usage/usage-recorder.js';

export interface ProxyPipelineOptions {
  authenticator: RequestAuthenticator;
  acl: AclCache;
  rateLimiter: RateLimiter;
  usage: UsageRecorder;
  audit: AuditTrail;
  forwarder: Forwarder;
  upstreams: Upstreams;
  logger: Logger;
}

declare module 'express-serve-static-core' {
  interface Request {
    identity?: Identity;
  }
}

/** Only the proxy speaks for the caller: whatever identity or scope headers a client sent are dropped. */
function stripIdentityHeaders(request: Request): void {
  for (const name of Object.keys(request.headers)) {
    if (name.startsWith('x-user-') || name.startsWith('x-scope-')) delete request.headers[name];
  }
}

function principalOf(identity: Identity | undefined, request: Request) {
  return identity
    ? { principalKind: identity.kind, principalId: identity.id, key: `${identity.kind}:${identity.id}` }
    : {
        principalKind: 'anonymous' as const,
        principalId: request.ip ?? 'unknown',
        key: `address:${request.ip ?? 'unknown'}`,
      };
}

function bytesOf(request: Request): number {
  return Number(request.get('content-length') ?? 0) || 0;
}

/**
 * Every request, in order: who is it (credentials), may they (the ACL, first matching rule by priority;
 * nothing matched is denied), how much (the rule's token bucket per caller), within which scopes (read
 * API), then forwarded with the proxy's own identity headers — or handed on to the proxy's own `/auth`
 * routes. Denials are audited and counted; errors are thrown for the one problem+json handler.
 */
export function createProxyPipeline(options: ProxyPipelineOptions): RequestHandler {
  const { authenticator, acl, rateLimiter, usage, audit, forwarder, upstreams } = options;

  function deny(
    request: Request,
    identity: Identity | undefined,
    rule: AclRule | undefined,
    action: string,
    status: number,
    reason: string,
  ) {
    const principal = principalOf(identity, request);
    usage.record({
      ...principal,
      route: rule?.pathPattern ?? '(none)',
      denied: true,
      bytesIn: bytesOf(request),
      bytesOut: 0,
    });
    audit.record({
      actorKind: principal.principalKind,
      actorId: identity?.id ?? null,
      actorName: identity?.name ?? null,
      action,
      target: `${request.method} ${request.path}`,
      outcome: 'denied',
      details: { status, reason, rule: rule?.pathPattern ?? null },
      requestId: request.requestId,
      address: request.ip ?? null,
    });
  }

  function setRateLimitHeaders(
    response: Response,
    outcome: ReturnType<RateLimiter['take']>,
    perMinute: number,
  ) {
    response.setHeader('RateLimit-Limit', String(outcome.limit));
    response.setHeader('RateLimit-Remaining', String(outcome.remaining));
    response.setHeader('RateLimit-Reset', String(outcome.resetSeconds));
    response.setHeader(
      'RateLimit-Policy',
      `${outcome.limit};w=${Math.round((outcome.limit / perMinute) * 60)}`,
    );
  }

  return async (request, response, next) => {
    stripIdentityHeaders(request);
    // The WHATWG parser resolves `.` and `..` segments (also percent-encoded ones), so the path checked is
    // the path forwarded: `/api/../admin/api/users` cannot slip past the rule for /admin/api.
    const url = new URL(request.url, 'http://proxy.invalid');
    const { pathname, search } = url;

    let identity: Identity | undefined;
    try {
      identity = await authenticator.authenticate(request);
    } catch (error) {
      if (error instanceof UnauthorisedError)
        deny(request, undefined, undefined, 'request.denied', 401, error.message);
      throw error;
    }
    request.identity = identity;

    const rule = matchRule(await acl.rules(), request.method, pathname);
    const decision = decideAccess(rule, identity);
    if (!decision.allowed) {
      deny(request, identity, rule, 'request.denied', decision.status, decision.reason);
      throw decision.status === 401
        ? new UnauthorisedError(decision.reason)
        : new ForbiddenError(decision.reason);
    }
    const allowedRule = rule!;
    const principal = principalOf(identity, request);

    if (allowedRule.rateLimitPerMinute && allowedRule.rateLimitBurst) {
      const outcome = rateLimiter.take(
        `${allowedRule.id}|${principal.key}`,
        allowedRule.rateLimitPerMinute,
        allowedRule.rateLimitBurst,
      );
      setRateLimitHeaders(response, outcome, allowedRule.rateLimitPerMinute);
      if (!outcome.allowed) {
        deny(request, identity, allowedRule, 'request.rate-limited', 429, 'rate limit');
        throw new TooManyRequestsError(
          `At most ${allowedRule.rateLimitBurst} requests at once and ${allowedRule.rateLimitPerMinute} a minute on ${allowedRule.pathPattern}`,
          outcome.retryAfterSeconds,
        );
      }
    }

    const target = routeTargetFor(pathname, search);
    if (target.kind === 'proxy') {
      response.once('finish', () =>
        usage.record({
          ...principal,
          route: allowedRule.pathPattern,
          denied: response.statusCode >= 400,
          bytesIn: bytesOf(request),
          bytesOut: Number(response.getHeader('content-length') ?? 0) || 0,
        }),
      );
      next();
      return;
    }

    // Upstreams learn who the caller is from the proxy's headers; the credentials themselves stay here.
    delete request.headers.authorization;
    delete request.headers['x-api-key'];
    const headers: Record<string, string> = { [identityHeaders.requestId]: request.requestId };
    let path = target.path;
    if (identity) {
      headers[identityHeaders.userId] = `${identity.kind}:${identity.id}`;
      headers[identityHeaders.userName] = identity.name;
      headers[identityHeaders.userRoles] = identity.roles.join(',');
      if (target.service === 'output-gateway') {
        const [upstreamPath = '/', ...query] = target.path.split('?');
        let scoped;
        try {
          scoped = applyScopes(identity.scopes, upstreamPath, query.length > 0 ? `?${query.join('?')}` : '');
        } catch (error) {
          if (error instanceof ForbiddenError)
            deny(request, identity, allowedRule, 'request.denied', 403, error.message);
          throw error;
        }
        path = `${upstreamPath}${scoped.search}`;
        Object.assign(headers, scoped.headers);
      }
    }
    const result = await forwarder.forward(request, response, {
      upstream: upstreams[target.service],
      path,
      headers,
    });
    usage.record({
      ...principal,
      route: allowedRule.pathPattern,
      denied: false,
      bytesIn: result.bytesIn,
      bytesOut: result.bytesOut,
    });
  };
}

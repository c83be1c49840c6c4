import { identityHeaders, identitySignatureHeader, type Logger } from '@repopulse/core';
import type { Request, RequestHandler } from 'express';
import type { AclCache } from './access-control/acl-cache.js';
import { routeTargetFor, type Upstreams } from './access-control/upstream-routes.js';
import type { AuditTrail, Forwarder, RequestAuthenticator } from './contracts.js';
import { authenticateStep } from './pipeline/authenticate-step.js';
import { authoriseStep } from './pipeline/authorise-step.js';
import { forwardStep } from './pipeline/forward-step.js';
import { normaliseRequestPath } from './pipeline/normalise-request-path.js';
import { bytesOf, createDenialRecorder, principalOf, type ProxyRequest } from './pipeline/proxy-request.js';
import { rateLimitStep } from './pipeline/rate-limit-step.js';
import { receiveBodyStep, type ReceiveBodyOptions } from './pipeline/receive-body-step.js';
import { scopeStep } from './pipeline/scope-step.js';
import type { RateLimiter } from './rate-limits/shared-rate-limiter.js';
import type { UsageRecorder } from './usage/usage-recorder.js';

export interface ProxyPipelineOptions {
  authenticator: RequestAuthenticator;
  acl: AclCache;
  rateLimiter: RateLimiter;
  usage: UsageRecorder;
  audit: AuditTrail;
  forwarder: Forwarder;
  upstreams: Upstreams;
  /** Bodies of ordinary size received whole before they go upstream; see receive-body-step.ts. */
  clientBodies: ReceiveBodyOptions;
  logger: Logger;
}

/** Only the proxy speaks for the caller: whatever identity, scope or signature headers a client sent are dropped. */
function stripIdentityHeaders(request: Request): void {
  for (const name of Object.keys(request.headers)) {
    if (
      name.startsWith('x-user-') ||
      name.startsWith('x-scope-') ||
      name === identitySignatureHeader ||
      name === identityHeaders.clientAddress
    )
      delete request.headers[name];
  }
}

/**
 * Every request, in order (each step in `pipeline/`, tested on its own): one spelling of the path, who is
 * it (credentials), may they (the ACL, first matching rule by priority; nothing matched is denied), how
 * much (the rule's window per caller, shared by every replica), then either the proxy's own `/auth`
 * routes or, within the caller's scopes (read API), forwarded with the proxy's signed identity headers.
 * Denials are audited and counted; errors are thrown for the one problem+json handler.
 */
export function createProxyPipeline(options: ProxyPipelineOptions): RequestHandler {
  const recordDenial = createDenialRecorder(options.usage, options.audit);
  const authenticate = authenticateStep({ authenticator: options.authenticator, recordDenial });
  const authorise = authoriseStep({ acl: options.acl, recordDenial });
  const rateLimit = rateLimitStep({ rateLimiter: options.rateLimiter, recordDenial });
  const forward = forwardStep({
    forwarder: options.forwarder,
    upstreams: options.upstreams,
    usage: options.usage,
    scope: scopeStep({ recordDenial }),
    receiveBody: receiveBodyStep(options.clientBodies),
  });

  return async (request, response, next) => {
    stripIdentityHeaders(request);
    const { pathname, search } = normaliseRequestPath(request.url);
    // The proxy's own routes below route this same spelling.
    request.url = `${pathname}${search}`;
    const context: ProxyRequest = { request, response, pathname, search };
    await authenticate(context);
    await authorise(context);
    await rateLimit(context);

    const target = routeTargetFor(pathname, search);
    if (target.kind === 'upstream') {
      await forward(context, target.service, target.path);
      return;
    }
    response.once('finish', () => {
      const principal = principalOf(context.identity, request);
      options.usage.record({
        principalKind: principal.principalKind,
        principalId: principal.principalId,
        route: context.rule?.pathPattern ?? '(none)',
        denied: response.statusCode >= 400,
        bytesIn: bytesOf(request),
        bytesOut: Number(response.getHeader('content-length') ?? 0) || 0,
      });
    });
    next();
  };
}

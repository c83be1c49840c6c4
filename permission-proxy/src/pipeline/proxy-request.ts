import type { Identity } from '@repopulse/core';
import type { Request, Response } from 'express';
import type { AclRule } from '../access-control/acl-rules.js';
import type { AuditTrail } from '../contracts.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';

/** What the pipeline's steps learn about one request, in order; each step reads what earlier ones set. */
export interface ProxyRequest {
  request: Request;
  response: Response;
  /** The normalised path: the ACL, the scopes and the upstream see this one spelling. */
  pathname: string;
  search: string;
  identity?: Identity;
  /** The ACL rule that allowed the request (set by the authorise step). */
  rule?: AclRule;
}

export interface Principal {
  principalKind: 'user' | 'api-key' | 'anonymous';
  principalId: string;
  /** The rate-limit key: the API key, the user, else the address. */
  key: string;
}

export function principalOf(identity: Identity | undefined, request: Request): Principal {
  return identity
    ? { principalKind: identity.kind, principalId: identity.id, key: `${identity.kind}:${identity.id}` }
    : {
        principalKind: 'anonymous',
        principalId: request.ip ?? 'unknown',
        key: `address:${request.ip ?? 'unknown'}`,
      };
}

export function bytesOf(request: Request): number {
  return Number(request.get('content-length') ?? 0) || 0;
}

/** Counts and audits a refused request (401, 403, 429); the step then throws the error to answer it. */
export type RecordDenial = (
  context: ProxyRequest,
  action: 'request.denied' | 'request.rate-limited',
  status: number,
  reason: string,
) => void;

export function createDenialRecorder(usage: UsageRecorder, audit: AuditTrail): RecordDenial {
  return (context, action, status, reason) => {
    const { request, identity, rule } = context;
    const principal = principalOf(identity, request);
    usage.record({
      principalKind: principal.principalKind,
      principalId: principal.principalId,
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
      target: `${request.method} ${context.pathname}`,
      outcome: 'denied',
      details: { status, reason, rule: rule?.pathPattern ?? null },
      requestId: request.requestId,
      address: request.ip ?? null,
    });
  };
}

import type { Request } from 'express';
import { ForbiddenError } from '@repopulse/core';
import { scopesOf } from '../http/request-scopes.js';

/**
 * The scoped parameters that narrow the data itself: every answer leaves out the repositories whose owner
 * or host is not allowed, and the repository list and the trends those whose primary language is not (the
 * other endpoints name no language). A scope on any other parameter (`window`, `interval`, ...) narrows no
 * data: it only limits the values a client may pass for it, which the proxy and `refuseScopedValues` check.
 */
export const narrowingParameters = ['owner', 'host', 'language'] as const;
export type NarrowingParameter = (typeof narrowingParameters)[number];

export interface ReadScope {
  /** Per narrowing parameter, the only values allowed, lowercased; absent: any value. */
  allowed: Partial<Record<NarrowingParameter, readonly string[]>>;
  /** Caps every page size and list length, whether `limit` was given or not; absent: no cap. */
  maxLimit: number | undefined;
  /** Every scoped parameter (lowercased name) with its allowed values, lowercased. */
  params: Readonly<Record<string, readonly string[]>>;
}

// Values are compared lowercased, by JavaScript as the proxy compares them; they reach SQL lowercased too,
// as constants the planner can match against the indexes on lower(owner), lower(host) and
// lower(primary_language). Owner, host and language names are ASCII; a name whose lowering JavaScript and
// PostgreSQL disagree on would be left out, never let in.
const lowered = (values: readonly string[]) => values.map((value) => value.toLowerCase());

/** The caller's scope as the read API applies it. */
export function readScopeOf(request: Request): ReadScope {
  const scopes = scopesOf(request);
  const params = Object.fromEntries(
    Object.entries(scopes.params ?? {}).map(([parameter, values]) => [
      parameter.toLowerCase(),
      lowered(values),
    ]),
  );
  const allowed: ReadScope['allowed'] = {};
  for (const parameter of narrowingParameters) {
    if (params[parameter] !== undefined) allowed[parameter] = params[parameter];
  }
  return { allowed, maxLimit: scopes.maxLimit, params };
}

/** Whether the scope lets a caller read `value` of `parameter` (any value of an unscoped one). */
export function isWithinScope(scope: ReadScope, parameter: string, value: string): boolean {
  const allowed = scope.params[parameter.toLowerCase()];
  return allowed === undefined || allowed.includes(value.toLowerCase());
}

/** 403 when the scope does not let the caller read `value` of `parameter`. */
export function refuseOutsideScope(scope: ReadScope, parameter: string, value: string): void {
  if (isWithinScope(scope, parameter, value)) return;
  const allowed = scope.params[parameter.toLowerCase()] ?? [];
  throw new ForbiddenError(
    allowed.length === 0
      ? `Your access allows no ${parameter}; "${value}" is outside it`
      : `Your access is limited to ${parameter} ${allowed.join(', ')}; "${value}" is outside it`,
  );
}

/** 403 unless the scope lets the caller read repositories of this owner on this host. */
export function refuseOwnerOutsideScope(scope: ReadScope, owner: { host: string; owner: string }): void {
  refuseOutsideScope(scope, 'owner', owner.owner);
  refuseOutsideScope(scope, 'host', owner.host);
}

/** A page size or list length under the scope's cap. */
export function capToScope(scope: ReadScope, length: number): number {
  return scope.maxLimit === undefined ? length : Math.min(length, scope.maxLimit);
}

/**
 * What the scope is, canonically (names and values sorted): part of every ETag, so that an answer cached
 * under one scope is never revalidated as current under another. Empty for an unscoped caller.
 */
export function scopeFingerprint(scope: ReadScope): string {
  const params = Object.keys(scope.params)
    .sort()
    .map((parameter) => [parameter, [...scope.params[parameter]!].sort()]);
  if (params.length === 0 && scope.maxLimit === undefined) return '';
  return JSON.stringify({ params, maxLimit: scope.maxLimit ?? null });
}

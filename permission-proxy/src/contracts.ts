import type { AuditEntry, Identity } from '@repopulse/core';
import type { Request, Response } from 'express';

/**
 * The seams between the proxy's parts, so each is built and tested on its own and `app.ts` composes them.
 */

/** Reads the credentials of a request (Bearer JWT, Bearer API key, X-API-Key). */
export interface RequestAuthenticator {
  /**
   * The identity behind the request's credentials; undefined when it carries none. Throws core's
   * UnauthorisedError for credentials that are present but bad (expired, wrong signature, `alg: none`,
   * revoked or unknown key, disabled user).
   */
  authenticate(request: Request): Promise<Identity | undefined>;
}

/** Audit rows are written in the background, in batches; `record` never throws and never waits. */
export interface AuditTrail {
  record(entry: AuditEntry): void;
  flush(): Promise<void>;
}

export interface ForwardTarget {
  /** Base URL of the upstream, e.g. http://127.0.0.1:3002 */
  upstream: string;
  /** Path and query string to request upstream, e.g. `/v1/repositories/a/b/activity?interval=week`. */
  path: string;
  /** Headers to set upstream, after every incoming `x-user-*` and `x-scope-*` header was removed. */
  headers: Record<string, string>;
  /**
   * The body, already received whole by the proxy; absent when there is none or when it is streamed from
   * the client (`streamed`: a large body, sent over the upstream pool kept for those).
   */
  body?: Buffer;
  streamed?: boolean;
}

export interface ForwardResult {
  status: number;
  bytesIn: number;
  bytesOut: number;
}

/** Streams the request to the upstream and the answer back; upstream down → 502, too slow → 504 problem+json. */
export interface Forwarder {
  forward(request: Request, response: Response, target: ForwardTarget): Promise<ForwardResult>;
  close(): void;
}

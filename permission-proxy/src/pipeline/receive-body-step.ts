import { RequestTimeoutError, TooManyRequestsError } from '@repopulse/core';
import type { Request } from 'express';
import type { ProxyRequest } from './proxy-request.js';

export interface ReceiveBodyOptions {
  /** Bodies up to this size (by Content-Length) are received whole here before anything goes upstream. */
  bufferBytes: number;
  /** How long such a body may take to arrive: past it, 408 and the connection is closed. */
  timeoutMs: number;
  /** Slow bodies (still arriving after `slowAfterMs`) one address may be sending at once; more are 429. */
  maxPendingPerAddress: number;
  slowAfterMs?: number;
}

/** What the forward step sends upstream: the body received here, or the request streamed (large bodies). */
export type ReceivedBody = { kind: 'none' } | { kind: 'buffered'; body: Buffer } | { kind: 'streamed' };

function declaredLength(request: Request): number | undefined {
  const header = request.get('content-length');
  if (header === undefined) return undefined;
  const length = Number(header);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

/**
 * A slow client must not hold an upstream socket: the proxy receives a body of ordinary size whole, under
 * a deadline, before it asks the upstream pool for a socket, so a few hundred connections sending a byte a
 * second cost only themselves (nginx does the same: `proxy_request_buffering`). Larger bodies (big webhook
 * deliveries, big batches) are streamed, over a pool of their own (see the forwarder). Each address may
 * have a bounded number of bodies on their way at once, so one cannot hold the proxy's connections either.
 */
export function receiveBodyStep(options: ReceiveBodyOptions) {
  /** Per address, when each body still on its way started arriving. */
  const pending = new Map<string, Set<{ since: number }>>();
  const slowAfterMs = options.slowAfterMs ?? 1_000;

  /**
   * Refuses a new body while the address has `maxPendingPerAddress` bodies that have been arriving for
   * longer than `slowAfterMs`: a burst of quick ones (GitHub delivering dozens of webhooks at once from
   * one address) is never refused; only a sender whose bodies trickle in is held to the bound.
   */
  function enter(address: string): () => void {
    const now = Date.now();
    const bodies = pending.get(address) ?? new Set<{ since: number }>();
    let slow = 0;
    for (const body of bodies) if (now - body.since > slowAfterMs) slow++;
    if (slow >= options.maxPendingPerAddress) {
      throw new TooManyRequestsError(
        `At most ${options.maxPendingPerAddress} slow request bodies may be on their way at once from one address`,
        1,
      );
    }
    const entry = { since: now };
    bodies.add(entry);
    pending.set(address, bodies);
    return () => {
      bodies.delete(entry);
      if (bodies.size === 0 && pending.get(address) === bodies) pending.delete(address);
    };
  }

  return async (context: ProxyRequest): Promise<ReceivedBody> => {
    const { request } = context;
    const length = declaredLength(request);
    const chunked = request.get('transfer-encoding') !== undefined;
    if (!chunked && (length === undefined || length === 0)) return { kind: 'none' };
    const leave = enter(request.ip ?? request.socket.remoteAddress ?? 'unknown');
    if (chunked || length! > options.bufferBytes) {
      // Counted until the upstream has read it all (or the request ends some other way).
      request.once('end', leave);
      request.once('close', leave);
      return { kind: 'streamed' };
    }
    try {
      return { kind: 'buffered', body: await readWhole(request, length!, options.timeoutMs) };
    } finally {
      leave();
    }
  };
}

function readWhole(request: Request, length: number, timeoutMs: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (error?: Error) => {
      clearTimeout(timer);
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('aborted', onAborted);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks, received));
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onAborted = () => finish(new RequestTimeoutError('The request body was not received whole'));
    const timer = setTimeout(() => {
      request.pause();
      finish(
        new RequestTimeoutError(
          `The request body (${length} bytes announced) did not arrive within ${timeoutMs / 1000} s`,
        ),
      );
    }, timeoutMs);
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('aborted', onAborted);
  });
}

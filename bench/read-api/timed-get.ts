import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { proxyHeadersFor } from '@repopulse/core/testing';

export interface TimedAnswer {
  status: number;
  body: string;
  ms: number;
}

// One kept-alive socket, requests one after the other: each sample is one request's latency, with no
// connection set-up in it and no queueing behind another request of the benchmark's own.
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/**
 * GET without If-None-Match (so the answer is computed, never a 304), timed until the body is read; signed
 * as the permission proxy signs (the time to sign is outside the sample, as it is the proxy's).
 */
export function timedGet(url: string): Promise<TimedAnswer> {
  const { pathname, search } = new URL(url);
  const headers = { accept: 'application/json', ...proxyHeadersFor('GET', `${pathname}${search}`) };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { agent, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', reject);
      incoming.on('end', () =>
        resolve({
          status: incoming.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: performance.now() - started,
        }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

export function closeConnections(): void {
  agent.destroy();
}

import { proxyHeadersFor } from '@repopulse/core/testing';
import autocannon from 'autocannon';

export interface Round {
  requestsPerSecond: number;
  /** Requests answered in the round. */
  requests: number;
  p50: number;
  p99: number;
  /** Answers that were not 2xx, errors and timeouts. */
  failed: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /**
   * Straight to a module, as the permission proxy would send it: each request carries a fresh signature
   * (the module refuses unsigned ones), computed as the request is built, as the proxy's is.
   */
  signed?: boolean;
}

export async function load(options: LoadOptions): Promise<Round> {
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: options.headers ?? {},
    body: options.body,
    ...(options.signed ? { requests: [{ setupRequest: signRequest }] } : {}),
    connections: options.connections,
    duration: options.seconds,
  });
  return {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

function signRequest(request: autocannon.Request): autocannon.Request {
  const method = request.method ?? 'GET';
  const path = request.path ?? '/';
  return { ...request, headers: { ...request.headers, ...proxyHeadersFor(method, path) } };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Prints one line of medians over the rounds (and each round's rate) and returns the medians. */
export function report(name: string, rounds: Round[]): Round {
  const summary = {
    requestsPerSecond: median(rounds.map((round) => round.requestsPerSecond)),
    requests: median(rounds.map((round) => round.requests)),
    p50: median(rounds.map((round) => round.p50)),
    p99: median(rounds.map((round) => round.p99)),
    failed: rounds.reduce((sum, round) => sum + round.failed, 0),
  };
  const each = rounds.map((round) => round.requestsPerSecond.toFixed(0)).join(', ');
  console.log(
    `${name.padEnd(38)} ${summary.requestsPerSecond.toFixed(0).padStart(6)} req/s   p50 ${summary.p50.toFixed(0).padStart(3)} ms   p99 ${summary.p99.toFixed(0).padStart(3)} ms   (rounds: ${each})`,
  );
  return summary;
}

import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import {
  identitySignatureHeader,
  sendProblem,
  signForwardedRequest,
  type Logger,
  type ProblemDocument,
} from '@repopulse/core';
import type { Request, Response } from 'express';
import httpProxy from 'http-proxy';
import type { ForwardResult, Forwarder, ForwardTarget } from '../contracts.js';
import { badGatewayProblem, gatewayTimeoutProblem } from './gateway-problems.js';
import { clientResponseHeaders, upstreamRequestHeaders } from './hop-by-hop-headers.js';
import { createUpstreamAgent } from './upstream-agent.js';
import { createUpstreamResolver } from './upstream-resolver.js';

export const defaultTimeoutMs = 30_000;
export const defaultConnectTimeoutMs = 5_000;
export const defaultMaxSockets = 256;
/** Sockets per upstream for requests whose large bodies are streamed from the client as they arrive. */
export const defaultMaxStreamingSockets = 64;

/** nginx's convention for "the client closed the connection before an answer was sent". */
const clientClosedRequest = 499;

export interface ForwarderOptions {
  /** `INTERNAL_SECRET`'s first secret: every forwarded request's identity headers are signed with it. */
  identitySecret: string;
  /** An upstream silent for this long (no answer, or a pause inside its answer) is given up: 504. */
  timeoutMs?: number;
  /** An upstream that does not accept the TCP connection within this time is unreachable: 502. */
  connectTimeoutMs?: number;
  /** Most sockets open to one upstream at once. */
  maxSockets?: number;
  /**
   * Most sockets to one upstream for streamed bodies: a pool of their own, so slow senders of large
   * bodies can never take the sockets every other request needs.
   */
  maxStreamingSockets?: number;
  /** Base URLs by service name, so an error can name the service without revealing its address. */
  upstreams?: Record<string, string>;
  logger: Logger;
}

/** What one forwarded request has done so far; found again from http-proxy's events by the request. */
interface Forwarding {
  target: ForwardTarget;
  service: string;
  /** Request body bytes received from the client (also those dropped after the upstream failed). */
  bytesIn: number;
  /** Body bytes sent to the client: the upstream's answer, or the problem document. */
  bytesOut: number;
  upstreamRequest?: ClientRequest;
  /** The upstream stayed silent past the timeout (http-proxy then aborts the upstream request). */
  timedOut: boolean;
  failed: boolean;
  /** The client's response closed before it was complete: the client left, or we broke it off. */
  abandoned: boolean;
}

/** The upstream's address belongs in the log (never in the answer); the request id ties the lines together. */
function logFieldsOf(forwarding: Forwarding) {
  return {
    service: forwarding.service,
    upstream: forwarding.target.upstream,
    requestId: Object.entries(forwarding.target.headers).find(
      ([name]) => name.toLowerCase() === 'x-request-id',
    )?.[1],
  };
}

/**
 * Sends each request to its upstream and streams the answer back through one http-proxy instance over a
 * keep-alive agent. A request body the receive-body step took whole (ordinary sizes) is sent from memory;
 * larger ones are piped as they arrive, over the streaming pool, so memory stays bounded whatever their
 * size. The Host header is kept (`changeOrigin` off): the upstreams are addressed by their internal
 * address and serve no virtual hosts, and keeping the public Host lets them build public links; it is
 * also sent as X-Forwarded-Host, with X-Forwarded-For and -Proto (`xfwd`).
 *
 * Every outcome settles the promise once the client's response has closed, so the caller can count it;
 * it never rejects for an upstream's failure.
 */
export function createForwarder(options: ForwarderOptions): Forwarder {
  const { logger } = options;
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const agentOptions = {
    maxSockets: options.maxSockets ?? defaultMaxSockets,
    connectTimeoutMs: options.connectTimeoutMs ?? defaultConnectTimeoutMs,
  };
  const streamingOptions = {
    ...agentOptions,
    maxSockets: options.maxStreamingSockets ?? defaultMaxStreamingSockets,
  };
  const agents = {
    'http:': createUpstreamAgent({ protocol: 'http:', ...agentOptions }),
    'https:': createUpstreamAgent({ protocol: 'https:', ...agentOptions }),
  };
  const streamingAgents = {
    'http:': createUpstreamAgent({ protocol: 'http:', ...streamingOptions }),
    'https:': createUpstreamAgent({ protocol: 'https:', ...streamingOptions }),
  };
  const resolveUpstream = createUpstreamResolver(options.upstreams ?? {});
  const proxy = httpProxy.createProxyServer({
    xfwd: true,
    changeOrigin: false,
    // The caller gives the whole upstream path; see `forward` for how it reaches http-proxy.
    prependPath: false,
    proxyTimeout: timeoutMs,
    // The answer's status and headers are copied here, without hop-by-hop headers, instead of by
    // http-proxy, which copies them all and would pass an upstream's `Connection: close` to the client.
    selfHandleResponse: true,
  });
  const forwardings = new WeakMap<IncomingMessage, Forwarding>();

  function fail(request: Request, response: Response, forwarding: Forwarding, error: unknown): void {
    if (forwarding.failed) return;
    forwarding.failed = true;
    forwarding.upstreamRequest?.destroy();
    if (forwarding.abandoned || response.closed) return; // nobody left to answer
    if (response.headersSent) {
      // Part of the answer is out; only breaking the connection tells the client it is incomplete.
      response.destroy();
      return;
    }
    const problem: ProblemDocument = forwarding.timedOut
      ? gatewayTimeoutProblem(forwarding.service, timeoutMs, request.originalUrl)
      : badGatewayProblem(forwarding.service, request.originalUrl);
    logger.warn(forwarding.timedOut ? 'upstream timed out' : 'upstream unreachable', {
      ...logFieldsOf(forwarding),
      error,
    });
    // Whatever the client still sends is read and dropped, so it gets to read the answer.
    request.unpipe();
    request.resume();
    forwarding.bytesOut = Buffer.byteLength(JSON.stringify(problem));
    sendProblem(response, problem);
  }

  proxy.on('proxyReq', (upstreamRequest, request) => {
    const forwarding = forwardings.get(request);
    if (!forwarding) return;
    forwarding.upstreamRequest = upstreamRequest;
    // Runs after http-proxy's own listener has aborted the request; the error that follows reads this.
    upstreamRequest.once('timeout', () => {
      forwarding.timedOut = true;
    });
    if (forwarding.abandoned) upstreamRequest.destroy(); // the client left while we waited for a socket
  });

  /** Copies the upstream's status and headers to the client and pipes the body after them. */
  function relayAnswer(
    upstreamResponse: IncomingMessage,
    request: IncomingMessage,
    response: ServerResponse,
  ): void {
    const forwarding = forwardings.get(request);
    if (!forwarding || forwarding.abandoned) {
      upstreamResponse.destroy();
      return;
    }
    upstreamResponse.on('data', (chunk: Buffer) => {
      forwarding.bytesOut += chunk.length;
    });
    upstreamResponse.once('close', () => {
      if (upstreamResponse.complete || response.writableFinished) return;
      // An upstream that dies mid-answer leaves the client waiting for bytes that never come: break the
      // client's connection too. (Also reached when the client left first; then it changes nothing.)
      if (!forwarding.abandoned) {
        logger.warn('upstream answer broke off', {
          ...logFieldsOf(forwarding),
          status: upstreamResponse.statusCode,
        });
      }
      response.destroy();
    });
    try {
      response.writeHead(
        upstreamResponse.statusCode ?? 502,
        upstreamResponse.statusMessage,
        clientResponseHeaders(upstreamResponse.headers),
      );
    } catch (error) {
      // A header value Node's parser let through but its writer refuses; nothing has been sent yet.
      upstreamResponse.destroy();
      fail(request as Request, response as Response, forwarding, error);
      return;
    }
    upstreamResponse.pipe(response);
  }

  proxy.on('proxyRes', relayAnswer);

  // With a callback passed to `web`, http-proxy reports errors there; this catches whatever it still emits,
  // because an 'error' event without a listener would end the process.
  proxy.on('error', (error, request, response) => {
    const forwarding = forwardings.get(request);
    if (forwarding && 'writeHead' in response)
      fail(request as Request, response as Response, forwarding, error);
    else logger.error('forwarding failed outside a request', { error });
  });

  /** Settles once the client's response has closed, complete or not, and ends what it leaves behind. */
  function followClientResponse(
    request: Request,
    response: Response,
    forwarding: Forwarding,
    settle: () => void,
  ): void {
    response.once('close', () => {
      if (!response.writableFinished) {
        forwarding.abandoned = true;
        forwarding.upstreamRequest?.destroy(); // the upstream sees its request end; nothing keeps working
        if (!forwarding.failed)
          logger.debug('client left before the answer was complete', { service: forwarding.service });
      }
      settle();
    });
    response.once('finish', () => {
      // The upstream answered before reading the whole body (a 413, a 401): stop sending it the rest and
      // drop what the client still sends, or the client's connection would stall.
      if (request.complete) return;
      request.unpipe();
      forwarding.upstreamRequest?.destroy();
      request.resume();
    });
    request.on('data', (chunk: Buffer) => {
      forwarding.bytesIn += chunk.length;
    });
  }

  function forward(request: Request, response: Response, target: ForwardTarget): Promise<ForwardResult> {
    return new Promise<ForwardResult>((resolve) => {
      const upstream = resolveUpstream(target.upstream);
      const forwarding: Forwarding = {
        target,
        service: upstream.service,
        bytesIn: 0,
        bytesOut: 0,
        timedOut: false,
        failed: false,
        abandoned: false,
      };
      const settle = () =>
        resolve({
          status: response.headersSent ? response.statusCode : clientClosedRequest,
          bytesIn: forwarding.bytesIn,
          bytesOut: forwarding.bytesOut,
        });
      if (response.closed) {
        settle();
        return;
      }
      forwardings.set(request, forwarding);
      followClientResponse(request, response, forwarding, settle);

      // http-proxy builds the upstream request from the incoming one (its url and headers) synchronously
      // inside `web`; both are swapped in for that call only, so the caller's request is left as it was.
      const { url, headers } = request;
      request.url = upstream.pathPrefix + target.path;
      // Signed over exactly the request line and identity headers the upstream will read.
      const identity = {
        ...target.headers,
        [identitySignatureHeader]: signForwardedRequest({
          secret: options.identitySecret,
          method: request.method,
          path: request.url,
          headers: target.headers,
        }),
      };
      request.headers = upstreamRequestHeaders(headers, identity);
      if (target.body) {
        // Received whole already: sent with its length, from memory.
        request.headers['content-length'] = String(target.body.length);
        forwarding.bytesIn = target.body.length;
      }
      try {
        const agent = (target.streamed ? streamingAgents : agents)[upstream.target.protocol];
        const buffer = target.body ? Readable.from([target.body]) : undefined;
        proxy.web(request, response, { target: upstream.target, agent, buffer }, (error) =>
          fail(request, response, forwarding, error),
        );
      } finally {
        request.url = url;
        request.headers = headers;
      }
    });
  }

  return {
    forward,
    close() {
      for (const agent of [...Object.values(agents), ...Object.values(streamingAgents)]) agent.destroy();
    },
  };
}

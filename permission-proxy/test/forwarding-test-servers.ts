import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHttpServer } from '@repopulse/core';
import { testInternalSecret, testLogger, waitFor } from '@repopulse/core/testing';
import express, { type Request } from 'express';
import type { Forwarder, ForwardResult } from '../src/contracts.js';
import { createForwarder, type ForwarderOptions } from '../src/forwarding/index.js';

export interface TestUpstream {
  url: string;
  port: number;
  /** TCP connections accepted so far. */
  connectionsAccepted(): number;
  /** TCP connections open now. */
  connectionsOpen(): number;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A real HTTP server standing in for an upstream service, on a random port. */
export async function startUpstream(
  handle: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<TestUpstream> {
  const server = createServer(handle);
  // As core's startHttpServer: idle connections outlive the proxy's, so the proxy may reuse them.
  server.keepAliveTimeout = 65_000;
  let accepted = 0;
  let open = 0;
  server.on('connection', (socket) => {
    accepted++;
    open++;
    socket.on('close', () => open--);
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connectionsAccepted: () => accepted,
    connectionsOpen: () => open,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A port nothing listens on: bound once by us, then released. */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface ProxyUnderTest {
  base: string;
  port: number;
  forwarder: Forwarder;
  /** What `forward` resolved, in the order requests finished. */
  results: ForwardResult[];
  /** Waits until `count` forwards have resolved and returns the last of them. */
  result(count: number): Promise<ForwardResult>;
  stop(): Promise<void>;
}

export interface ProxyUnderTestOptions {
  upstream: string;
  forwarder?: Partial<ForwarderOptions>;
  /** The identity headers the caller would prepare; by default a request id only. */
  headersFor?: (request: Request) => Record<string, string>;
  /** The upstream path for a public one; by default `/api` is cut off, as the proxy does for the read API. */
  pathFor?: (request: Request) => string;
}

/** The forwarder mounted in a small express app, as the proxy mounts it, served by core's startHttpServer. */
export async function startProxyUnderTest(options: ProxyUnderTestOptions): Promise<ProxyUnderTest> {
  const forwarder = createForwarder({
    logger: testLogger('forwarding'),
    identitySecret: testInternalSecret,
    ...options.forwarder,
  });
  const results: ForwardResult[] = [];
  const headersFor = options.headersFor ?? (() => ({ 'x-request-id': 'test-request' }));
  const pathFor =
    options.pathFor ?? ((request: Request) => request.url.replace(/^\/api(?=\/|\?|$)/, '') || '/');
  const app = express();
  app.use(async (request, response) => {
    const target = { upstream: options.upstream, path: pathFor(request), headers: headersFor(request) };
    results.push(await forwarder.forward(request, response, target));
  });
  const server = await startHttpServer(app, 0, '127.0.0.1');
  return {
    base: `http://127.0.0.1:${server.port}`,
    port: server.port,
    forwarder,
    results,
    result: (count) =>
      waitFor(() => results.length >= count && results[count - 1], {
        what: `forward number ${count} to resolve`,
      }),
    async stop() {
      await server.close(1_000);
      forwarder.close();
    },
  };
}

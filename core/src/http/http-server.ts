import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface RunningServer {
  server: Server;
  port: number;
  /** Stops accepting, lets in-flight requests finish within `timeoutMs`, then cuts what is left. Safe to call twice. */
  close(timeoutMs?: number): Promise<void>;
}

export interface ClientTimeouts {
  /** How long a client may take to send a request's headers. */
  headersTimeoutMs: number;
  /** How long it may take to send the whole request, body included. */
  requestTimeoutMs: number;
}

/**
 * Serves `app`. The public door (the permission proxy) passes `clientTimeouts`, so a client that sends its
 * headers or body at a trickle is cut off within them (checked every second, not Node's 30 s); internal
 * modules, called by the proxy only, keep Node's defaults.
 */
export async function startHttpServer(
  app: Express,
  port: number,
  host = '0.0.0.0',
  clientTimeouts?: ClientTimeouts,
): Promise<RunningServer> {
  const server = createServer(clientTimeouts ? { connectionsCheckingInterval: 1_000 } : {}, app);
  // Longer than a load balancer's idle timeout, so the proxy never reuses a socket we are closing.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = clientTimeouts?.headersTimeoutMs ?? 66_000;
  if (clientTimeouts) server.requestTimeout = clientTimeouts.requestTimeoutMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let closing: Promise<void> | undefined;
  // server.close() ends only the connections idle at that moment; a keep-alive connection busy then
  // would stay open until the timeout cuts it. While closing, answers say `Connection: close` and each
  // finished response frees its connection, so close() resolves as soon as the last request is done.
  server.prependListener('request', (_request, response) => {
    if (closing) response.shouldKeepAlive = false;
    response.on('close', () => {
      if (closing) server.closeIdleConnections();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close(timeoutMs = 10_000) {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

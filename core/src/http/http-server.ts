import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface RunningServer {
  server: Server;
  port: number;
  /** Stops accepting, lets in-flight requests finish within `timeoutMs`, then cuts what is left. Safe to call twice. */
  close(timeoutMs?: number): Promise<void>;
}

export async function startHttpServer(app: Express, port: number, host = '0.0.0.0'): Promise<RunningServer> {
  const server = createServer(app);
  // Longer than a load balancer's idle timeout, so the proxy never reuses a socket we are closing.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
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

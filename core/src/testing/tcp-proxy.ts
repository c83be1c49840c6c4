import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Drops every connection and refuses new ones, as a network cut would. */
  cut(): void;
  restore(): void;
  /**
   * Holds back everything the server sends (its confirms, say) while connections stay open, as a server
   * that has stopped answering would, and the server's closing of a connection too; `flow()` delivers what
   * was held back, in one go, and lets it pass again.
   */
  stall(): void;
  flow(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of a shared server (RabbitMQ) so a test can cut the network without ever
 * stopping the machine's server.
 */
export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let open = true;
  let stalled = false;
  /** What the server sent while stalled: data, or (no chunk) its closing of the connection. */
  const heldBack: Array<{ client: Socket; chunk?: Buffer }> = [];
  const server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      if (stalled) heldBack.push({ client, chunk });
      else client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => {
      if (stalled) heldBack.push({ client });
      else client.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cut() {
      open = false;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      open = true;
    },
    stall() {
      stalled = true;
    },
    flow() {
      stalled = false;
      for (const { client, chunk } of heldBack.splice(0)) {
        if (client.destroyed) continue;
        if (chunk) client.write(chunk);
        else client.end();
      }
    },
    async close() {
      open = false;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

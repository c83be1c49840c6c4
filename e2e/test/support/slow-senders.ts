import { connect, type Socket } from 'node:net';

/** One connection that sends a request's headers at once and its body a byte at a time. */
export interface SlowSender {
  socket: Socket;
  /** Body bytes sent so far. */
  sent(): number;
  /** Everything the server answered so far. */
  answer(): string;
  closed(): boolean;
}

/**
 * Opens `count` connections to `port` that each announce a body of `bodyBytes` and send it one byte every
 * `byteEveryMs`, from the addresses `addressOf(index)` names in X-Forwarded-For (as a trusted proxy would):
 * a slow-body attack, bounded (the caller stops it).
 */
export function startSlowSenders(options: {
  port: number;
  count: number;
  path: string;
  headers: Record<string, string>;
  bodyBytes: number;
  byteEveryMs: number;
  addressOf: (index: number) => string;
}): { senders: SlowSender[]; stop(): void } {
  const timers: NodeJS.Timeout[] = [];
  const senders = Array.from({ length: options.count }, (_, index) => {
    const socket = connect(options.port, '127.0.0.1');
    let sent = 0;
    let answer = '';
    let closed = false;
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
    });
    socket.on('connect', () => {
      const head = [
        `POST ${options.path} HTTP/1.1`,
        'Host: repopulse.test',
        `Content-Length: ${options.bodyBytes}`,
        `X-Forwarded-For: ${options.addressOf(index)}`,
        ...Object.entries(options.headers).map(([name, value]) => `${name}: ${value}`),
        '',
        '',
      ].join('\r\n');
      socket.write(head);
      const timer = setInterval(() => {
        if (closed || sent >= options.bodyBytes - 1) return; // never the last byte: the body stays incomplete
        socket.write(sent === 0 ? '{' : ' ');
        sent++;
      }, options.byteEveryMs);
      timers.push(timer);
    });
    return { socket, sent: () => sent, answer: () => answer, closed: () => closed };
  });
  return {
    senders,
    stop() {
      for (const timer of timers) clearInterval(timer);
      for (const sender of senders) sender.socket.destroy();
    },
  };
}

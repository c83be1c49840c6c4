import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import type { Logger } from '../logging/index.js';
import { BrokerConnection, deleteTopology } from '../queue/index.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
import { testLogger } from './test-logger.js';

export const testAmqpUrl = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A prefix of its own for one test file's exchanges and queues on the shared broker. */
export function testQueuePrefix(): string {
  return `test-${randomBytes(5).toString('hex')}.`;
}

/** Deletes a test file's exchanges and queues. */
export async function removeTestTopology(prefix: string, retryDelaysMs: readonly number[]): Promise<void> {
  const connection = await amqp.connect(testAmqpUrl);
  try {
    const channel = await connection.createChannel();
    await deleteTopology(channel, { prefix, retryDelaysMs });
  } finally {
    await connection.close();
  }
}

export interface InspectedMessage {
  content: Buffer;
  json: unknown;
  headers: Record<string, unknown>;
  messageId: string | undefined;
}

/** Takes every message now waiting in a queue (full name), acking them: the test reads what arrived. */
export async function drainQueue(queue: string): Promise<InspectedMessage[]> {
  const connection = await amqp.connect(testAmqpUrl);
  const messages: InspectedMessage[] = [];
  try {
    const channel = await connection.createChannel();
    for (;;) {
      const message = await channel.get(queue, { noAck: true });
      if (message === false) break;
      let json: unknown;
      try {
        json = JSON.parse(message.content.toString('utf8'));
      } catch {
        json = undefined;
      }
      messages.push({
        content: message.content,
        json,
        headers: message.properties.headers ?? {},
        messageId: message.properties.messageId,
      });
    }
  } finally {
    await connection.close();
  }
  return messages;
}

export async function queueDepth(queue: string): Promise<number> {
  const connection = await amqp.connect(testAmqpUrl);
  try {
    const channel = await connection.createChannel();
    return (await channel.checkQueue(queue)).messageCount;
  } finally {
    await connection.close();
  }
}

/** The test broker's URL, reached through a local port instead (a TCP proxy the test can cut). */
export function testAmqpUrlVia(port: number): string {
  const url = new URL(testAmqpUrl);
  url.port = String(port);
  return url.toString();
}

/** A started broker connection on the test broker (or `url`), with the test file's queue prefix. */
export async function connectTestBroker(options: {
  prefix: string;
  retryDelaysMs: readonly number[];
  url?: string;
  confirmTimeoutMs?: number;
  maxReconnectDelayMs?: number;
  logger?: Logger;
}): Promise<BrokerConnection> {
  const broker = new BrokerConnection({
    url: options.url ?? testAmqpUrl,
    prefix: options.prefix,
    retryDelaysMs: options.retryDelaysMs,
    confirmTimeoutMs: options.confirmTimeoutMs ?? 5_000,
    maxReconnectDelayMs: options.maxReconnectDelayMs,
    logger: options.logger ?? testLogger(),
  });
  await broker.start();
  await broker.waitUntilConnected(10_000);
  return broker;
}

/** A TCP proxy in front of the test broker, for tests that cut the network (see `testAmqpUrlVia`). */
export function startTestBrokerProxy(): Promise<TcpProxy> {
  const url = new URL(testAmqpUrl);
  return startTcpProxy(Number(url.port || 5672), url.hostname);
}

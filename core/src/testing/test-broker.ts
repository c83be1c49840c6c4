import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { deleteTopology } from '../queue/index.js';

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

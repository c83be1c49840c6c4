import {
  UnavailableError,
  workQueues,
  type BrokerConnection,
  type Logger,
  type WorkQueue,
} from '@repopulse/core';

export interface QueueStatsEntry {
  name: WorkQueue;
  depth: number;
  consumers: number;
  /** Messages per second, as RabbitMQ's management API reckons them; null when only AMQP answered. */
  publishRate: number | null;
  deliverRate: number | null;
  ackRate: number | null;
  /** Messages waiting in `<queue>.dead` (the admin panel moves them to dead_letters as they arrive). */
  deadDepth: number;
}

export interface QueueStatsAnswer {
  statsFrom: 'management' | 'amqp';
  queues: QueueStatsEntry[];
}

export interface QueueStats {
  read(): Promise<QueueStatsAnswer>;
}

interface ManagementQueue {
  messages?: number;
  consumers?: number;
  message_stats?: {
    publish_details?: { rate?: number };
    deliver_get_details?: { rate?: number };
    ack_details?: { rate?: number };
  };
}

/** The vhost an AMQP URL names: its path without the slash, `/` when it has none. */
export function vhostOf(amqpUrl: string): string {
  const path = new URL(amqpUrl).pathname;
  return path === '' || path === '/' ? '/' : decodeURIComponent(path.slice(1));
}

/**
 * Depth, consumers and rates of the five work queues. Rates exist only in RabbitMQ's management API
 * (a plugin that may be off, or unreachable from here): when it does not answer, AMQP's queue check
 * still gives depth and consumers, so the page shows what it can rather than an error.
 */
export function createQueueStats(options: {
  broker: BrokerConnection;
  managementUrl: string;
  vhost: string;
  logger: Logger;
  timeoutMs?: number;
}): QueueStats {
  const { broker, logger } = options;
  const timeoutMs = options.timeoutMs ?? 2_000;
  // fetch refuses URLs with credentials in them: they travel as a Basic authorisation header instead.
  const base = new URL(options.managementUrl);
  const authorization = `Basic ${Buffer.from(
    `${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`,
  ).toString('base64')}`;
  base.username = '';
  base.password = '';

  async function managementQueue(fullName: string): Promise<ManagementQueue> {
    const url = new URL(
      `api/queues/${encodeURIComponent(options.vhost)}/${encodeURIComponent(fullName)}`,
      base.toString().endsWith('/') ? base : `${base.toString()}/`,
    );
    const response = await fetch(url, {
      headers: { authorization, accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`management API answered ${response.status} for ${fullName}`);
    return (await response.json()) as ManagementQueue;
  }

  async function fromManagement(): Promise<QueueStatsEntry[]> {
    return Promise.all(
      workQueues.map(async (name) => {
        const [work, dead] = await Promise.all([
          managementQueue(broker.names.queue(name)),
          managementQueue(broker.names.deadQueue(name)),
        ]);
        const stats = work.message_stats ?? {};
        // No message_stats yet means no traffic yet: a rate of 0, not unknown.
        return {
          name,
          depth: work.messages ?? 0,
          consumers: work.consumers ?? 0,
          publishRate: stats.publish_details?.rate ?? 0,
          deliverRate: stats.deliver_get_details?.rate ?? 0,
          ackRate: stats.ack_details?.rate ?? 0,
          deadDepth: dead.messages ?? 0,
        };
      }),
    );
  }

  async function fromAmqp(): Promise<QueueStatsEntry[]> {
    const channel = await broker.openChannel();
    try {
      const entries: QueueStatsEntry[] = [];
      for (const name of workQueues) {
        const work = await channel.checkQueue(broker.names.queue(name));
        const dead = await channel.checkQueue(broker.names.deadQueue(name));
        entries.push({
          name,
          depth: work.messageCount,
          consumers: work.consumerCount,
          publishRate: null,
          deliverRate: null,
          ackRate: null,
          deadDepth: dead.messageCount,
        });
      }
      return entries;
    } catch (error) {
      throw new UnavailableError(`The queues cannot be inspected: ${(error as Error).message}`);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  return {
    async read() {
      try {
        return { statsFrom: 'management', queues: await fromManagement() };
      } catch (error) {
        logger.warn('RabbitMQ management API did not answer, queue stats from AMQP', {
          error: (error as Error).message,
        });
        return { statsFrom: 'amqp', queues: await fromAmqp() };
      }
    },
  };
}

import type { Channel } from 'amqplib';

/** The work queues of docs/DESIGN.md; each message type is routed by its own name. */
export const workQueues = [
  'ingest.github-webhook',
  'ingest.events',
  'crawl.org',
  'crawl.repo',
  'metrics.compute',
] as const;
export type WorkQueue = (typeof workQueues)[number];

export interface TopologyOptions {
  /** Prefixes every name, so tests (and installations) sharing one broker never meet. */
  prefix: string;
  /** One delay tier per retry: attempt n waits retryDelaysMs[min(n - 1, last)]. */
  retryDelaysMs: readonly number[];
}

export function topologyNames(prefix: string) {
  return {
    exchange: `${prefix}repopulse`,
    unroutableExchange: `${prefix}repopulse.unroutable`,
    unroutableQueue: `${prefix}repopulse.unroutable`,
    retryExchange: `${prefix}repopulse.retry`,
    deadExchange: `${prefix}repopulse.dead`,
    queue: (name: string) => `${prefix}${name}`,
    retryRoutingKey: (name: string, delayMs: number) => `${name}.retry.${delayMs}ms`,
    retryQueue: (name: string, delayMs: number) => `${prefix}${name}.retry.${delayMs}ms`,
    deadQueue: (name: string) => `${prefix}${name}.dead`,
  };
}

export type TopologyNames = ReturnType<typeof topologyNames>;

const quorum = { 'x-queue-type': 'quorum' };

/**
 * Declares everything; idempotent, so it runs after every (re)connect. A failed message waits in a
 * retry queue whose TTL dead-letters it back to the work queue (growing delays, no requeue loop); after
 * the last attempt the worker sends it to `<queue>.dead`. Unroutable messages land in the alternate
 * exchange's queue instead of vanishing.
 */
export async function declareTopology(channel: Channel, options: TopologyOptions): Promise<void> {
  const names = topologyNames(options.prefix);
  await channel.assertExchange(names.unroutableExchange, 'fanout', { durable: true });
  await channel.assertQueue(names.unroutableQueue, { durable: true, arguments: quorum });
  await channel.bindQueue(names.unroutableQueue, names.unroutableExchange, '');
  await channel.assertExchange(names.exchange, 'topic', {
    durable: true,
    arguments: { 'alternate-exchange': names.unroutableExchange },
  });
  await channel.assertExchange(names.retryExchange, 'direct', { durable: true });
  await channel.assertExchange(names.deadExchange, 'direct', { durable: true });
  for (const name of workQueues) {
    await channel.assertQueue(names.queue(name), { durable: true, arguments: quorum });
    await channel.bindQueue(names.queue(name), names.exchange, name);
    await channel.assertQueue(names.deadQueue(name), { durable: true, arguments: quorum });
    await channel.bindQueue(names.deadQueue(name), names.deadExchange, name);
    for (const delayMs of new Set(options.retryDelaysMs)) {
      const retryQueue = names.retryQueue(name, delayMs);
      await channel.assertQueue(retryQueue, {
        durable: true,
        arguments: {
          ...quorum,
          'x-message-ttl': delayMs,
          'x-dead-letter-exchange': names.exchange,
          'x-dead-letter-routing-key': name,
          // At-least-once dead-lettering (RabbitMQ 3.10+): a retry is never dropped on its way back.
          'x-dead-letter-strategy': 'at-least-once',
          'x-overflow': 'reject-publish',
        },
      });
      await channel.bindQueue(retryQueue, names.retryExchange, names.retryRoutingKey(name, delayMs));
    }
  }
}

/** Removes what `declareTopology` made; tests call it to leave the shared broker clean. */
export async function deleteTopology(channel: Channel, options: TopologyOptions): Promise<void> {
  const names = topologyNames(options.prefix);
  for (const name of workQueues) {
    await channel.deleteQueue(names.queue(name));
    await channel.deleteQueue(names.deadQueue(name));
    for (const delayMs of new Set(options.retryDelaysMs))
      await channel.deleteQueue(names.retryQueue(name, delayMs));
  }
  await channel.deleteQueue(names.unroutableQueue);
  for (const exchange of [
    names.exchange,
    names.retryExchange,
    names.deadExchange,
    names.unroutableExchange,
  ]) {
    await channel.deleteExchange(exchange);
  }
}

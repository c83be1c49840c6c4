import amqp from 'amqplib';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage, RecoveringChannelModel } from 'amqplib';
import { UnavailableError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { encodeEnvelope, type Envelope } from './envelope.js';
import { declareTopology, topologyNames, type TopologyNames, type TopologyOptions } from './topology.js';

/** What a gateway or relay needs: publish and know the broker confirmed it. */
export interface MessagePublisher {
  /** Resolves once the broker confirmed the message; rejects with UnavailableError otherwise. */
  publish(routingKey: string, envelope: Envelope, options?: PublishOptions): Promise<void>;
}

export interface PublishOptions {
  /** Which exchange: the work exchange (default), the retry exchange or the dead-letter exchange. */
  exchange?: 'work' | 'retry' | 'dead';
  headers?: Record<string, unknown>;
  /**
   * Publish these bytes instead of serialising the envelope: a body that was not an envelope (when
   * dead-lettering it), or `encodeEnvelope(envelope, rawPayload)`.
   */
  rawContent?: Buffer;
}

export type DeliveryHandler = (message: ConsumeMessage, channel: Channel) => Promise<void>;

interface ConsumerSpec {
  queue: string;
  prefetch: number;
  onMessage: DeliveryHandler;
  channel?: Channel;
  consumerTag?: string;
  /** Paused consumers keep their channel (and restart it after a reconnect) but take no deliveries. */
  paused: boolean;
  /** Pauses and resumes one after the other, never interleaved. */
  changing: Promise<void>;
}

/** A registered consumer of a work queue. */
export interface QueueConsumer {
  /** Stops consuming for good; messages in flight can still be settled on their channel. */
  cancel(): Promise<void>;
  /**
   * Stops deliveries (the broker's basic.cancel) while keeping the channel, so messages in flight can still
   * be acked or handed back; stays paused across reconnects. Safe to call twice.
   */
  pause(): Promise<void>;
  /** Takes deliveries again after a pause. */
  resume(): Promise<void>;
}

export interface BrokerOptions extends TopologyOptions {
  url: string;
  logger: Logger;
  confirmTimeoutMs: number;
  /** Seconds; short in tests so a cut connection is noticed quickly. */
  heartbeatSeconds?: number;
  maxReconnectDelayMs?: number;
}

/**
 * The one connection of a process to RabbitMQ, with its lifecycle: reconnects with backoff (amqplib's
 * recovery), re-declares the topology and restarts consumers after every reconnect, publishes with
 * publisher confirms under a timeout, and answers "unavailable" at once while disconnected.
 */
export class BrokerConnection implements MessagePublisher {
  readonly names: TopologyNames;
  private connection?: RecoveringChannelModel;
  private model?: ChannelModel;
  private publisherChannel?: ConfirmChannel;
  private readonly consumers: ConsumerSpec[] = [];
  /** Channels of cancelled consumers: kept open so in-flight messages can still be acked, closed by close(). */
  private readonly retiredChannels = new Set<Channel>();
  private closing = false;
  private closed?: Promise<void>;

  constructor(private readonly options: BrokerOptions) {
    this.names = topologyNames(options.prefix);
  }

  /** Starts connecting in the background; `waitUntilConnected` awaits the first connection. */
  async start(): Promise<void> {
    const { logger } = this.options;
    const url = new URL(this.options.url);
    if (!url.searchParams.has('heartbeat'))
      url.searchParams.set('heartbeat', String(this.options.heartbeatSeconds ?? 15));
    this.connection = await amqp.connect(url.toString(), {
      // Without it, Nagle's algorithm holds any publish larger than one TCP segment ~40 ms for the ACK of the
      // previous one: every batch over ~1.5 KB waited that long for its confirm (and its 202).
      noDelay: true,
      clientProperties: { connection_name: `repopulse ${logger.defaultMeta?.module ?? ''}`.trim() },
      recovery: {
        waitForConnect: false,
        initialDelay: 200,
        maxDelay: this.options.maxReconnectDelayMs ?? 5_000,
        maxRetries: Infinity,
        setup: (model: ChannelModel) => this.setup(model),
      },
    });
    this.connection.on('disconnect', (error: Error) => {
      this.model = undefined;
      this.publisherChannel = undefined;
      for (const consumer of this.consumers) consumer.channel = undefined;
      if (!this.closing) logger.warn('broker connection lost, reconnecting', { error: error?.message });
    });
    this.connection.on('connect', () => logger.info('broker connected'));
    this.connection.on('connect-failed', (error: Error) =>
      logger.warn('broker connection attempt failed', { error: error.message }),
    );
    this.connection.on('error', (error: Error) =>
      logger.warn('broker connection error', { error: error.message }),
    );
    this.connection.on('blocked', (reason: string) => logger.warn('broker blocked publishing', { reason }));
  }

  async waitUntilConnected(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.isConnected()) {
      if (Date.now() > deadline)
        throw new UnavailableError(`no connection to the broker within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  isConnected(): boolean {
    return this.model !== undefined && this.publisherChannel !== undefined;
  }

  /** For readiness probes. */
  async check(): Promise<void> {
    if (!this.isConnected()) throw new Error('not connected to the broker');
  }

  private async setup(model: ChannelModel): Promise<void> {
    const topologyChannel = await model.createChannel();
    await declareTopology(topologyChannel, this.options);
    await topologyChannel.close();
    this.publisherChannel = await this.openPublisherChannel(model);
    this.model = model;
    for (const consumer of this.consumers) await this.startConsumer(model, consumer);
  }

  private async openPublisherChannel(model: ChannelModel): Promise<ConfirmChannel> {
    const channel = await model.createConfirmChannel();
    channel.on('error', (error: Error) =>
      this.options.logger.warn('publisher channel error', { error: error.message }),
    );
    channel.on('close', () => {
      if (this.publisherChannel !== channel) return;
      this.publisherChannel = undefined;
      // A channel-level error closes the channel but not the connection: open a fresh one.
      if (!this.closing && this.model === model) {
        this.openPublisherChannel(model).then(
          (fresh) => (this.publisherChannel = fresh),
          (error: Error) =>
            this.options.logger.warn('cannot reopen publisher channel', { error: error.message }),
        );
      }
    });
    return channel;
  }

  private async startConsumer(model: ChannelModel, consumer: ConsumerSpec): Promise<void> {
    const channel = await model.createChannel();
    channel.on('error', (error: Error) =>
      this.options.logger.warn('consumer channel error', { queue: consumer.queue, error: error.message }),
    );
    channel.on('close', () => {
      if (consumer.channel !== channel) return;
      consumer.channel = undefined;
      if (!this.closing && this.model === model) {
        setTimeout(() => {
          if (!this.closing && this.model === model && !consumer.channel) {
            this.startConsumer(model, consumer).catch((error: Error) =>
              this.options.logger.warn('cannot restart consumer', {
                queue: consumer.queue,
                error: error.message,
              }),
            );
          }
        }, 1_000);
      }
    });
    await channel.prefetch(consumer.prefetch);
    consumer.channel = channel;
    consumer.consumerTag = undefined;
    if (!consumer.paused) await this.consumeOn(channel, consumer);
  }

  private async consumeOn(channel: Channel, consumer: ConsumerSpec): Promise<void> {
    const reply = await channel.consume(this.names.queue(consumer.queue), (message) => {
      if (message === null) return; // cancelled by the broker (queue deleted); the close handler restarts
      void consumer.onMessage(message, channel);
    });
    // Paused while the consume was on its way (a reconnect racing a pause): take nothing after all.
    if (consumer.paused) await channel.cancel(reply.consumerTag).catch(() => undefined);
    else consumer.consumerTag = reply.consumerTag;
  }

  private changeConsumer(consumer: ConsumerSpec, change: () => Promise<void>): Promise<void> {
    const next = consumer.changing.then(change).catch((error: Error) => {
      this.options.logger.warn('cannot pause or resume a consumer', {
        queue: consumer.queue,
        error: error.message,
      });
    });
    consumer.changing = next;
    return next;
  }

  /** Registers a consumer of a work queue (its logical name); it starts now if connected and after every reconnect. */
  async consume(queue: string, prefetch: number, onMessage: DeliveryHandler): Promise<QueueConsumer> {
    const consumer: ConsumerSpec = { queue, prefetch, onMessage, paused: false, changing: Promise.resolve() };
    this.consumers.push(consumer);
    if (this.model) await this.startConsumer(this.model, consumer);
    return {
      cancel: async () => {
        const index = this.consumers.indexOf(consumer);
        if (index < 0) return;
        this.consumers.splice(index, 1);
        const { channel, consumerTag } = consumer;
        consumer.channel = undefined;
        if (!channel) return;
        this.retiredChannels.add(channel);
        channel.once('close', () => this.retiredChannels.delete(channel));
        if (consumerTag) await channel.cancel(consumerTag).catch(() => undefined);
      },
      pause: () =>
        this.changeConsumer(consumer, async () => {
          consumer.paused = true;
          const { channel, consumerTag } = consumer;
          consumer.consumerTag = undefined;
          if (channel && consumerTag) await channel.cancel(consumerTag).catch(() => undefined);
        }),
      resume: () =>
        this.changeConsumer(consumer, async () => {
          if (!consumer.paused) return;
          consumer.paused = false;
          // Without a channel (disconnected, or cancelled for good) the next setup starts it, if still registered.
          if (consumer.channel && !consumer.consumerTag && this.consumers.includes(consumer))
            await this.consumeOn(consumer.channel, consumer);
        }),
    };
  }

  async publish(routingKey: string, envelope: Envelope, options: PublishOptions = {}): Promise<void> {
    const channel = this.publisherChannel;
    if (!channel) throw new UnavailableError('the message broker is not reachable');
    const exchange =
      options.exchange === 'retry'
        ? this.names.retryExchange
        : options.exchange === 'dead'
          ? this.names.deadExchange
          : this.names.exchange;
    const content = options.rawContent ?? encodeEnvelope(envelope);
    const { confirmTimeoutMs } = this.options;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new UnavailableError(`the message broker did not confirm within ${confirmTimeoutMs} ms`)),
        confirmTimeoutMs,
      );
      try {
        channel.publish(
          exchange,
          routingKey,
          content,
          {
            persistent: true,
            contentType: 'application/json',
            messageId: envelope.id,
            correlationId: envelope.correlationId,
            type: envelope.type,
            timestamp: Math.floor(Date.now() / 1000),
            headers: options.headers ?? {},
          },
          (error) => {
            clearTimeout(timer);
            if (error) reject(new UnavailableError('the message broker refused the message'));
            else resolve();
          },
        );
      } catch (error) {
        clearTimeout(timer);
        reject(new UnavailableError(`publishing failed: ${(error as Error).message}`));
      }
    });
  }

  /** A plain channel for tests and tools (inspecting queues); the caller closes it. */
  async openChannel(): Promise<Channel> {
    if (!this.model) throw new UnavailableError('the message broker is not reachable');
    return this.model.createChannel();
  }

  /** Cancels consumers and closes the connection. Safe to call twice. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.closing = true;
      for (const consumer of this.consumers) {
        if (consumer.channel && consumer.consumerTag)
          await consumer.channel.cancel(consumer.consumerTag).catch(() => undefined);
      }
      // Acks are not confirmed: one sent just before the connection closes can be lost (RabbitMQ drops
      // what the channel had not processed yet, and redelivers the message). Closing each channel first
      // waits for the broker's close-ok, which it sends only after every earlier frame of the channel.
      const channels = [
        ...this.consumers.map((consumer) => consumer.channel),
        ...this.retiredChannels,
        this.publisherChannel,
      ];
      for (const consumer of this.consumers) consumer.channel = undefined;
      this.publisherChannel = undefined;
      this.retiredChannels.clear();
      await Promise.all(channels.map((channel) => channel?.close().catch(() => undefined)));
      await this.connection?.close().catch(() => undefined);
      this.model = undefined;
      this.publisherChannel = undefined;
    })();
    return this.closed;
  }
}

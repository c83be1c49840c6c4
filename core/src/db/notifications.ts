import pg from 'pg';
import type { Logger } from '../logging/index.js';

export interface NotificationListener {
  /** Connects in the background and keeps reconnecting until stopped; never throws. */
  start(): void;
  /** True while LISTEN is in place. */
  connected(): boolean;
  /** Closes the connection and stops reconnecting. Safe to call twice. */
  stop(): Promise<void>;
}

export interface NotificationListenerOptions {
  /**
   * A direct session with the primary (DATABASE_URL): LISTEN belongs to a session, which a pooler in
   * transaction mode (PgBouncer in front of the replica) does not keep.
   */
  url: string;
  channels: readonly string[];
  /** Names the connection in pg_stat_activity. */
  applicationName: string;
  logger: Logger;
  onNotification(channel: string, payload: string): void;
  /**
   * Called once LISTEN is in place, after the first connection and after every reconnection: what was
   * notified while no connection listened is lost, so whatever depends on it must be read again in full.
   */
  onConnected(): void;
  /** The first wait before reconnecting, doubled after each failed attempt up to `maxReconnectDelayMs`. */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
  /**
   * How often a trivial query checks the connection. A connection the network silently dropped emits
   * nothing; this finds it (within `heartbeatMs` + the query timeout) and reconnects.
   */
  heartbeatMs?: number;
}

/**
 * One dedicated pg `Client` (not a pool's: a pool hands its connections around and drops idle ones)
 * that LISTENs to `channels`. pg-listen would do this but gives up reconnecting after a few seconds by
 * default and has not been released since 2020; this is the part of it we need.
 */
export function createNotificationListener(options: NotificationListenerOptions): NotificationListener {
  const { logger } = options;
  const firstDelayMs = options.reconnectDelayMs ?? 100;
  const maxDelayMs = options.maxReconnectDelayMs ?? 5_000;
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  /** The connection being made or in use; `listening` once LISTEN is in place on it. */
  let client: pg.Client | undefined;
  let listening = false;
  let stopped = false;
  let started = false;
  let failedAttempts = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let stopping: Promise<void> | undefined;

  function scheduleReconnect(): void {
    if (stopped || reconnectTimer) return;
    const delay = Math.min(maxDelayMs, firstDelayMs * 2 ** failedAttempts) * (0.5 + Math.random() / 2);
    failedAttempts++;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void connect();
    }, delay);
    reconnectTimer.unref();
  }

  async function connect(): Promise<void> {
    const candidate = new pg.Client({
      connectionString: options.url,
      application_name: options.applicationName,
      keepAlive: true,
      connectionTimeoutMillis: 5_000,
      query_timeout: 5_000,
    });
    client = candidate;
    let lost = false;
    const lose = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (client === candidate) {
        client = undefined;
        listening = false;
      }
      candidate.end().catch(() => {});
      if (stopped) return;
      logger.warn('lost the database connection listening for changes; reconnecting', {
        channels: options.channels,
        error,
      });
      scheduleReconnect();
    };
    // pg emits `error` on a connection the server ended (pg_terminate_backend, a restart): without a
    // listener it would crash the process.
    candidate.on('error', lose);
    candidate.on('end', () => lose());
    candidate.on('notification', (message) => {
      if (!lost) options.onNotification(message.channel, message.payload ?? '');
    });
    try {
      await candidate.connect();
      for (const channel of options.channels) await candidate.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      lose(error as Error);
      return;
    }
    if (stopped || lost) {
      lose();
      return;
    }
    listening = true;
    failedAttempts = 0;
    logger.info('listening for changes', { channels: options.channels });
    try {
      options.onConnected();
    } catch (error) {
      logger.warn('reloading after (re)connecting failed', { error });
    }
  }

  function checkConnection(): void {
    const current = listening ? client : undefined;
    current?.query('SELECT 1').catch((error: unknown) => current.emit('error', error));
  }

  return {
    start() {
      if (started) return;
      started = true;
      heartbeatTimer = setInterval(checkConnection, heartbeatMs);
      heartbeatTimer.unref();
      void connect();
    },
    connected: () => listening,
    stop() {
      stopping ??= (async () => {
        stopped = true;
        clearTimeout(reconnectTimer);
        clearInterval(heartbeatTimer);
        const current = client;
        client = undefined;
        listening = false;
        await current?.end().catch(() => {});
      })();
      return stopping;
    },
  };
}

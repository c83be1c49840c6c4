import { Counter, type Registry } from 'prom-client';

export type WebhookOutcome =
  | 'accepted'
  | 'ignored'
  | 'ping'
  | 'malformed'
  | 'unauthorised'
  | 'too-large'
  | 'unsupported-media-type'
  | 'invalid'
  | 'unavailable'
  | 'failed';

const outcomeByStatus: Record<number, WebhookOutcome> = {
  400: 'malformed',
  401: 'unauthorised',
  413: 'too-large',
  415: 'unsupported-media-type',
  422: 'invalid',
};

/** The outcome of a refusal, by the status the problem+json handler will answer with. */
export function outcomeOfStatus(status: number | undefined): WebhookOutcome {
  if (status === undefined || status >= 500) return status === 503 ? 'unavailable' : 'failed';
  return outcomeByStatus[status] ?? 'malformed';
}

/**
 * `webhook_deliveries_total{event,outcome}`. The event label comes from a header anyone can set, so
 * only names GitHub documents are kept as they are; anything else is counted as "unknown", which keeps
 * the number of series bounded.
 */
export function createWebhookMetrics(registry: Registry, knownEvents: ReadonlySet<string>) {
  const deliveries = new Counter({
    name: 'webhook_deliveries_total',
    help: 'GitHub webhook deliveries by event type and outcome',
    labelNames: ['event', 'outcome'],
    registers: [registry],
  });
  return {
    delivery(event: string | undefined, outcome: WebhookOutcome) {
      deliveries.inc({ event: event && knownEvents.has(event) ? event : 'unknown', outcome });
    },
  };
}

export type WebhookMetrics = ReturnType<typeof createWebhookMetrics>;

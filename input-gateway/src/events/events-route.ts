import {
  createRouter,
  createEnvelope,
  encodeEnvelope,
  jsonBody,
  type GenericEventBatch,
  type Logger,
  type MessagePublisher,
  type Validator,
} from '@repopulse/core';
import { type Router } from 'express';
import type { IngestMetrics } from '../ingest-metrics.js';
import { countRefusals } from '../refusal-counter.js';

export interface EventsRouteOptions {
  publisher: MessagePublisher;
  validateBatch: Validator<GenericEventBatch>;
  maxBodyBytes: number;
  metrics: IngestMetrics;
  logger: Logger;
}

/**
 * `POST /v1/events`: a batch in the generic format. Validated whole (422 lists every failing path), then
 * published as one `ingest.events` message; 202 only once the broker confirmed it.
 */
export function eventsRoute(options: EventsRouteOptions): Router {
  const { publisher, validateBatch, metrics, logger } = options;
  const router = createRouter();
  router.post('/v1/events', ...jsonBody({ limit: options.maxBodyBytes }), async (request, response) => {
    const started = performance.now();
    const batch = validateBatch(request.body);
    const envelope = createEnvelope('ingest.events', batch, { correlationId: request.requestId });
    // The validated body is published as it came, not serialised a second time.
    await publisher.publish('ingest.events', envelope, {
      rawContent: encodeEnvelope(envelope, request.rawBody),
    });
    metrics.request('events', 'accepted');
    const byType = new Map<string, number>();
    for (const event of batch.events) byType.set(event.type, (byType.get(event.type) ?? 0) + 1);
    for (const [type, count] of byType) metrics.events(type, count);
    logger.info('event batch accepted', {
      requestId: request.requestId,
      id: envelope.id,
      source: batch.source,
      events: batch.events.length,
      types: Object.fromEntries(byType),
      supplier: request.forwardedIdentity.principal,
      ms: Math.round(performance.now() - started),
    });
    response.status(202).json({ id: envelope.id, status: 'accepted', events: batch.events.length });
  });
  router.use('/v1/events', countRefusals('events', metrics, logger));
  return router;
}

import type { Logger } from '@repopulse/core';
import type { ErrorRequestHandler } from 'express';
import type { IngestMetrics } from './ingest-metrics.js';

/**
 * Counts and logs a refused request by outcome, then hands the error on to the shared problem+json
 * handler, which alone writes the response.
 */
export function countRefusals(endpoint: string, metrics: IngestMetrics, logger: Logger): ErrorRequestHandler {
  return (error, request, _response, next) => {
    const status = (error as { status?: number }).status;
    metrics.request(endpoint, status === 503 ? 'unavailable' : 'invalid');
    logger.info('request refused', {
      requestId: request.requestId,
      endpoint,
      status,
      reason: (error as Error).message,
    });
    next(error);
  };
}

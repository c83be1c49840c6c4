import {
  createRouter,
  compileValidator,
  createEnvelope,
  jsonBody,
  repositoryFromGitUrl,
  SchemaViolationError,
  type CrawlOrganizationPayload,
  type CrawlRepositoryPayload,
  type Logger,
  type MessagePublisher,
} from '@repopulse/core';
import { type Router } from 'express';
import type { IngestMetrics } from '../ingest-metrics.js';
import { countRefusals } from '../refusal-counter.js';
import { crawlRequestSchema, type CrawlRequest } from './crawl-request-schema.js';

const ownerAndName = /^([A-Za-z0-9._-]{1,100})\/([A-Za-z0-9._-]{1,100})$/;

/** Turns a valid request into the message to publish; a target that names no repository is a 422. */
function toMessage(request: CrawlRequest, requestedBy: string | undefined) {
  if (request.kind === 'organization') {
    const payload: CrawlOrganizationPayload = { host: 'github.com', login: request.target, requestedBy };
    return { type: 'crawl.org', payload, subject: { organization: request.target } };
  }
  const pair = ownerAndName.exec(request.target);
  if (pair) {
    const payload: CrawlRepositoryPayload = {
      host: (request.host ?? 'github.com').toLowerCase(),
      owner: pair[1]!,
      name: pair[2]!,
      requestedBy,
    };
    return { type: 'crawl.repo', payload, subject: { repository: payload } };
  }
  const repository = repositoryFromGitUrl(request.target);
  if (!repository) {
    throw new SchemaViolationError('The target names no repository', [
      { path: '/target', message: 'must be "owner/name" or a git URL whose path ends in owner/name' },
    ]);
  }
  const payload: CrawlRepositoryPayload = { ...repository, gitUrl: request.target, requestedBy };
  return { type: 'crawl.repo', payload, subject: { repository } };
}

export function crawlRequestsRoute(options: {
  publisher: MessagePublisher;
  maxBodyBytes: number;
  metrics: IngestMetrics;
  logger: Logger;
}): Router {
  const { publisher, metrics, logger } = options;
  const validate = compileValidator<CrawlRequest>(crawlRequestSchema, 'The crawl request');
  const router = createRouter();
  router.post(
    '/v1/crawl-requests',
    ...jsonBody({ limit: Math.min(options.maxBodyBytes, 16 * 1024) }),
    async (request, response) => {
      const message = toMessage(validate(request.body), request.forwardedIdentity.principal);
      const envelope = createEnvelope(message.type, message.payload, { correlationId: request.requestId });
      await publisher.publish(message.type, envelope);
      metrics.request('crawl-requests', 'accepted');
      logger.info('crawl request accepted', {
        requestId: request.requestId,
        id: envelope.id,
        type: message.type,
        ...message.subject,
      });
      response
        .status(202)
        .json({ id: envelope.id, status: 'accepted', type: message.type, ...message.subject });
    },
  );
  router.use('/v1/crawl-requests', countRefusals('crawl-requests', metrics, logger));
  return router;
}

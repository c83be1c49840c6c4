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
import { createCrawlTargetCheck, type CrawlTargetCheckOptions } from './crawl-target-check.js';
import { crawlRequestSchema, type CrawlRequest } from './crawl-request-schema.js';

const ownerAndName = /^([A-Za-z0-9._-]{1,100})\/([A-Za-z0-9._-]{1,100})$/;

type CheckTarget = ReturnType<typeof createCrawlTargetCheck>;

/**
 * Turns a valid request into the message to publish. Every repository target is checked as the URL the
 * engine would clone (`owner/name` on a host other than GitHub is `https://<host>/owner/name.git`); a
 * target that names no repository or may not be crawled is a 422.
 */
async function toMessage(
  request: CrawlRequest,
  caller: { requestedBy: string | undefined; roles: string[] },
  checkTarget: CheckTarget,
) {
  const { requestedBy } = caller;
  if (request.kind === 'organization') {
    await checkTarget.github();
    const payload: CrawlOrganizationPayload = { host: 'github.com', login: request.target, requestedBy };
    return { type: 'crawl.org', payload, subject: { organization: request.target } };
  }
  const pair = ownerAndName.exec(request.target);
  if (pair) {
    const host = (request.host ?? 'github.com').toLowerCase();
    const [owner, name] = [pair[1]!, pair[2]!];
    if (host === 'github.com') await checkTarget.github();
    else await checkTarget.url(`https://${host}/${owner}/${name}.git`, []);
    const payload: CrawlRepositoryPayload = { host, owner, name, requestedBy };
    return { type: 'crawl.repo', payload, subject: { repository: payload } };
  }
  const repository = repositoryFromGitUrl(request.target);
  if (!repository) {
    throw new SchemaViolationError('The target names no repository', [
      { path: '/target', message: 'must be "owner/name" or a git URL whose path ends in owner/name' },
    ]);
  }
  const checked = await checkTarget.url(request.target, caller.roles);
  const identity = repositoryFromGitUrl(checked.gitUrl) ?? repository;
  const payload: CrawlRepositoryPayload = {
    ...identity,
    gitUrl: checked.gitUrl,
    ...(checked.sourceId ? { sourceId: checked.sourceId } : {}),
    requestedBy,
  };
  return { type: 'crawl.repo', payload, subject: { repository: identity } };
}

export function crawlRequestsRoute(options: {
  publisher: MessagePublisher;
  maxBodyBytes: number;
  metrics: IngestMetrics;
  logger: Logger;
  crawlTargets: CrawlTargetCheckOptions;
}): Router {
  const { publisher, metrics, logger } = options;
  const checkTarget = createCrawlTargetCheck(options.crawlTargets);
  const validate = compileValidator<CrawlRequest>(crawlRequestSchema, 'The crawl request');
  const router = createRouter();
  router.post(
    '/v1/crawl-requests',
    ...jsonBody({ limit: Math.min(options.maxBodyBytes, 16 * 1024) }),
    async (request, response) => {
      const identity = request.forwardedIdentity;
      const caller = { requestedBy: identity.principal, roles: identity.roles };
      const message = await toMessage(validate(request.body), caller, checkTarget);
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

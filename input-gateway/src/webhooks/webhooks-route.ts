import {
  createRouter,
  AppError,
  createEnvelope,
  UnauthorisedError,
  UnavailableError,
  type Logger,
  type MessagePublisher,
} from '@repopulse/core';
import type { ErrorRequestHandler, Request, RequestHandler, Response, Router } from 'express';
import type { Registry } from 'prom-client';
import type { GithubWebhookValidators } from './github-webhook-validators.js';
import { createByteGate } from './byte-gate.js';
import type { FailingSenders } from './failing-senders.js';
import { receiveSpooledBody } from './spooled-body.js';
import { parseWebhookBody, requireWebhookMediaType, subjectOf } from './webhook-body.js';
import { readDeliveryHeaders, type DeliveryHeaders } from './webhook-headers.js';
import { createWebhookMetrics, outcomeOfStatus, type WebhookOutcome } from './webhook-metrics.js';
import type { SecretScope, WebhookSecretLookup } from './webhook-secret-lookup.js';
import { findSigningSecret } from './webhook-signature.js';

export interface WebhooksRouteOptions {
  publisher: MessagePublisher;
  validators: GithubWebhookValidators;
  secrets: WebhookSecretLookup;
  maxBodyBytes: number;
  /** Senders whose deliveries keep failing their signature are refused before their body is read. */
  failingSenders: FailingSenders;
  registry: Registry;
  logger: Logger;
}

/** What a body may hold in memory while it arrives; larger ones wait in a file until complete. */
const inMemoryBodyBytes = 64 * 1024;
/** Bytes of complete bodies being parsed, checked and published at once. */
const bodiesAtWorkBytes = 64 * 1024 * 1024;

/** The message one accepted delivery becomes, on `ingest.github-webhook`, with the delivery id as its id. */
export interface GithubWebhookMessage {
  event: string;
  deliveryId: string;
  receivedAt: string;
  body: Record<string, unknown>;
}

export const githubWebhookPath = '/v1/webhooks/github';

interface DeliveryContext {
  started: number;
  receivedAt: string;
  headers?: DeliveryHeaders;
}

const contextOf = (response: Response) => response.locals.webhook as DeliveryContext;

/** The sender's address, as the permission proxy judged it (signed). */
const senderOf = (request: Request) => request.forwardedIdentity.address || 'unknown';

/**
 * `POST /v1/webhooks/github`: headers (400), media type (415), size (413), signature against the
 * candidate secrets (401, or 503 when they cannot be read), then by event: `ping` 200; a type the
 * engine does not process 202 "ignored", published nowhere; a processed type validated (422) and
 * published as one `ingest.github-webhook` message whose id is the delivery id, so a redelivery is a
 * no-op in the engine's inbox; 202 only once the broker confirmed it (503 otherwise).
 */
export function webhooksRoute(options: WebhooksRouteOptions): Router {
  const { publisher, validators, secrets, logger } = options;
  const metrics = createWebhookMetrics(options.registry, validators.knownEvents);
  const bodiesAtWork = createByteGate(bodiesAtWorkBytes);
  const router = createRouter();

  const begin: RequestHandler = async (request, response, next) => {
    const context: DeliveryContext = { started: performance.now(), receivedAt: new Date().toISOString() };
    response.locals.webhook = context;
    // Checked before the body is read: a request without them is refused without reading megabytes.
    context.headers = readDeliveryHeaders(request);
    await options.failingSenders.admit(senderOf(request));
    next();
  };

  async function verifySignature(
    rawBody: Buffer,
    signature: string | undefined,
    body: Record<string, unknown>,
  ) {
    if (!signature) throw new UnauthorisedError('The X-Hub-Signature-256 header is missing');
    const { candidates, complete } = await secrets.candidatesFor(subjectOf(body));
    const match = findSigningSecret(rawBody, signature, candidates);
    if (match) return match.scope;
    // The secret that would match may be one we could not read: the sender should try again.
    if (!complete) throw new UnavailableError('The webhook secrets cannot be read now');
    throw new UnauthorisedError(
      'The X-Hub-Signature-256 signature does not match a webhook secret for this repository',
    );
  }

  function answer(response: Response, status: number, outcome: WebhookOutcome, verifiedBy: SecretScope) {
    const { started, headers } = contextOf(response);
    const { event, deliveryId } = headers!;
    metrics.delivery(event, outcome);
    logger.info('webhook answered', {
      requestId: response.req.requestId,
      deliveryId,
      event,
      outcome,
      verifiedBy,
      ms: Math.round(performance.now() - started),
    });
    response.status(status).json({ id: deliveryId, status: outcome });
  }

  const receive: RequestHandler = async (request, response) => {
    const spooled = await receiveSpooledBody(request, {
      limit: options.maxBodyBytes,
      inMemoryBytes: inMemoryBodyBytes,
    });
    const leave = await bodiesAtWork.enter(spooled.size);
    try {
      await handleDelivery(request, response, await spooled.read());
    } finally {
      leave();
      await spooled.dispose();
    }
  };

  async function handleDelivery(request: Request, response: Response, rawBody: Buffer): Promise<void> {
    const { headers, receivedAt } = contextOf(response);
    const { event, deliveryId, signature } = headers!;
    const body = parseWebhookBody(request, rawBody);
    const verifiedBy = await verifySignature(rawBody, signature, body);
    if (event === 'ping') return answer(response, 200, 'ping', verifiedBy);
    if (!validators.processes(event)) return answer(response, 202, 'ignored', verifiedBy);
    validators.validate(event, body);
    const message: GithubWebhookMessage = { event, deliveryId, receivedAt, body };
    await publisher.publish(
      'ingest.github-webhook',
      createEnvelope('ingest.github-webhook', message, { id: deliveryId, correlationId: request.requestId }),
    );
    answer(response, 202, 'accepted', verifiedBy);
  }

  // Counts and logs refusals, then leaves the answer to the shared problem+json handler.
  const refused: ErrorRequestHandler = (error, request, response, next) => {
    const context = contextOf(response) as DeliveryContext | undefined;
    const status = error instanceof AppError ? error.status : (error as { status?: number }).status;
    const outcome = outcomeOfStatus(status);
    if (outcome === 'unauthorised' || outcome === 'malformed')
      void options.failingSenders.recordFailure(senderOf(request));
    metrics.delivery(context?.headers?.event ?? request.get('x-github-event'), outcome);
    logger.log(outcome === 'unavailable' ? 'warn' : 'info', 'webhook refused', {
      requestId: request.requestId,
      deliveryId: context?.headers?.deliveryId,
      event: context?.headers?.event,
      outcome,
      status,
      reason: (error as Error).message,
      ms: context ? Math.round(performance.now() - context.started) : undefined,
    });
    next(error);
  };

  router.post(githubWebhookPath, begin, requireWebhookMediaType(), receive);
  router.use(githubWebhookPath, refused);
  return router;
}

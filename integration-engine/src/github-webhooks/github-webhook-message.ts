import { isStorableInstant, SchemaViolationError } from '@repopulse/core';
import type { WebhookObject } from './webhook-body-fields.js';

/**
 * The payload of an `ingest.github-webhook` message as the input gateway publishes it (its
 * `GithubWebhookMessage`); the envelope id is the delivery id, so the worker's inbox already turns a
 * redelivery of the same message into a no-op.
 */
export interface GithubWebhookMessage {
  event: string;
  deliveryId: string;
  receivedAt: string;
  body: WebhookObject;
}

/** Checks the message's own shape (not the body's: the mapping reads and checks the fields it uses). */
export function readGithubWebhookMessage(payload: unknown): GithubWebhookMessage {
  const message = (typeof payload === 'object' && payload !== null ? payload : {}) as Partial<
    Record<keyof GithubWebhookMessage, unknown>
  >;
  const problems: Array<{ path: string; message: string }> = [];
  for (const key of ['event', 'deliveryId', 'receivedAt'] as const) {
    if (typeof message[key] !== 'string' || message[key] === '') {
      problems.push({ path: `/${key}`, message: 'must be a non-empty string' });
    }
  }
  if (typeof message.receivedAt === 'string' && !isStorableInstant(message.receivedAt)) {
    problems.push({ path: '/receivedAt', message: 'must be an RFC 3339 time' });
  }
  if (typeof message.body !== 'object' || message.body === null || Array.isArray(message.body)) {
    problems.push({ path: '/body', message: 'must be an object' });
  }
  if (problems.length > 0) {
    throw new SchemaViolationError('The ingest.github-webhook message is malformed', problems);
  }
  return message as GithubWebhookMessage;
}

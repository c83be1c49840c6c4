import { BadRequestError, UnsupportedMediaTypeError } from '@repopulse/core';
import type { Request, RequestHandler } from 'express';
import type { WebhookSubject } from './webhook-secret-lookup.js';

const jsonMediaType = /^application\/json$/i;
const formMediaType = /^application\/x-www-form-urlencoded$/i;

function mediaTypeOf(request: Request): string {
  return (request.get('content-type') ?? '').split(';')[0]!.trim();
}

/**
 * Only the media types GitHub sends (415 before the body is read). The body itself is then received as
 * raw bytes (`receiveSpooledBody`), because the signature is an HMAC of exactly those bytes. Not core's
 * jsonBody: a hook configured with "Content type: application/x-www-form-urlencoded" sends
 * `payload=<JSON>`, signed in that form.
 */
export function requireWebhookMediaType(): RequestHandler {
  return (request, _response, next) => {
    const mediaType = mediaTypeOf(request);
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.get('content-type') ?? '')?.[1];
    if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
      next(new UnsupportedMediaTypeError(`GitHub sends webhooks in UTF-8, not in "${charset}"`));
    } else if (jsonMediaType.test(mediaType) || formMediaType.test(mediaType)) {
      next();
    } else {
      next(
        new UnsupportedMediaTypeError(
          `Expected Content-Type application/json or application/x-www-form-urlencoded, got "${mediaType || 'none'}"`,
        ),
      );
    }
  };
}

/** The JSON object a delivery carries, from either media type. Not trusted until the signature is checked. */
export function parseWebhookBody(request: Request, rawBody: Buffer): Record<string, unknown> {
  if (rawBody.length === 0) throw new BadRequestError('The webhook body is empty');
  let text = rawBody.toString('utf8');
  if (formMediaType.test(mediaTypeOf(request))) {
    const payload = new URLSearchParams(text).get('payload');
    if (payload === null)
      throw new BadRequestError('A form-encoded webhook body must have a "payload" field');
    text = payload;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Not V8's message: it quotes the body back, and bodies are neither logged nor echoed.
    throw new BadRequestError('The webhook payload is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequestError('The webhook payload must be a JSON object');
  }
  return body as Record<string, unknown>;
}

function stringAt(value: unknown, ...path: string[]): string | undefined {
  let node = value;
  for (const key of path)
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  return typeof node === 'string' && node !== '' ? node : undefined;
}

/**
 * Whose secrets may have signed this body: the repository (`owner/name`) and its owner or organisation.
 * Not `sender`: that is whoever acted, not whoever owns the hook.
 */
export function subjectOf(body: Record<string, unknown>): WebhookSubject {
  const repositoryFullName = stringAt(body, 'repository', 'full_name');
  const owners = [
    stringAt(body, 'repository', 'owner', 'login'),
    repositoryFullName?.split('/')[0],
    stringAt(body, 'organization', 'login'),
  ].filter((owner): owner is string => owner !== undefined && owner !== '');
  return { repositoryFullName, owners };
}

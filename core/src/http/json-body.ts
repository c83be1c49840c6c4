import express from 'express';
import type { RequestHandler } from 'express';
import { UnsupportedMediaTypeError } from '../errors/index.js';

const jsonMediaType = /^application\/([a-z0-9.+-]*\+)?json$/i;

/**
 * Accepts only JSON bodies (415 otherwise) up to `limit` bytes (413), parsed strictly (400). The raw
 * bytes are kept on `request.rawBody` for signature checks.
 */
export function jsonBody(options: { limit: number }): RequestHandler[] {
  const requireJson: RequestHandler = (request, _response, next) => {
    const contentType = (request.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (!jsonMediaType.test(contentType)) {
      next(
        new UnsupportedMediaTypeError(
          `Expected Content-Type application/json, got "${contentType || 'none'}"`,
        ),
      );
      return;
    }
    next();
  };
  const parse = express.json({
    limit: options.limit,
    strict: true,
    type: () => true,
    verify: (request, _response, buffer) => {
      (request as unknown as { rawBody: Buffer }).rawBody = buffer;
    },
  });
  return [requireJson, parse];
}

declare module 'express-serve-static-core' {
  interface Request {
    rawBody?: Buffer;
  }
}

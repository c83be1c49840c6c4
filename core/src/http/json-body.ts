import express from 'express';
import type { RequestHandler } from 'express';
import { UnsupportedMediaTypeError } from '../errors/index.js';

const jsonMediaType = /^application\/([a-z0-9.+-]*\+)?json$/i;

/**
 * Accepts only UTF-8 JSON bodies (415 otherwise) up to `limit` bytes (413), parsed strictly (400). The
 * raw bytes are kept on `request.rawBody` for signature checks and for publishing without re-encoding.
 */
export function jsonBody(options: { limit: number }): RequestHandler[] {
  const requireJson: RequestHandler = (request, _response, next) => {
    const [mediaType = '', ...parameters] = (request.get('content-type') ?? '')
      .split(';')
      .map((part) => part.trim());
    if (!jsonMediaType.test(mediaType)) {
      next(
        new UnsupportedMediaTypeError(`Expected Content-Type application/json, got "${mediaType || 'none'}"`),
      );
      return;
    }
    // JSON exchanged between systems is UTF-8 (RFC 8259 §8.1); the raw bytes are then the text itself.
    const charset = parameters
      .find((parameter) => /^charset=/i.test(parameter))
      ?.slice('charset='.length)
      .replace(/"/g, '')
      .toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      next(new UnsupportedMediaTypeError(`JSON must be UTF-8, got charset "${charset}"`));
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

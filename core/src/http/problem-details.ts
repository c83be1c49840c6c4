import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { isDatabaseConnectionError } from '../db/database-errors.js';
import {
  AppError,
  BadRequestError,
  ContentTooLargeError,
  UnavailableError,
  UnsupportedMediaTypeError,
} from '../errors/index.js';
import type { Logger } from '../logging/index.js';

export const problemContentType = 'application/problem+json';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

export function problemTypeUri(kind: string): string {
  return `urn:repopulse:problem:${kind}`;
}

export function sendProblem(response: Response, problem: ProblemDocument): void {
  response.status(problem.status).type(problemContentType).send(JSON.stringify(problem));
}

/**
 * body-parser reports its failures as errors with a `type`; they are the client's fault and must
 * become 4xx problems, not 500s.
 */
function fromBodyParserError(error: {
  type?: string;
  message?: string;
  limit?: number;
}): AppError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return new BadRequestError(`The body is not valid JSON: ${error.message ?? ''}`.trim());
    case 'entity.too.large':
      return new ContentTooLargeError(`The body is larger than the limit of ${error.limit} bytes`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError(error.message ?? 'Unsupported body encoding');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
    case 'stream.not.readable':
    case 'parameters.too.many':
      return new BadRequestError(error.message ?? 'The request body could not be read');
    default:
      return undefined;
  }
}

function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (typeof error === 'object' && error !== null) {
    const converted = fromBodyParserError(error as { type?: string });
    if (converted) return converted;
    // Errors from http-errors (express internals, e.g. a malformed URI) carry a 4xx status.
    const status = (error as { status?: unknown; expose?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return new AppError(status, 'client-error', 'Client error', (error as Error).message);
    }
  }
  return undefined;
}

/** The one place where errors become responses. Unknown errors are logged and answered 500 without details. */
export function problemErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    // PostgreSQL away (a restart): the request may succeed in a moment, so 503 with Retry-After, not 500.
    if (isDatabaseConnectionError(error)) {
      logger.warn('database unreachable, request answered 503', {
        error: (error as Error).message,
        method: request.method,
        path: request.path,
        requestId: request.requestId,
      });
    }
    const appError = isDatabaseConnectionError(error)
      ? new UnavailableError('The database cannot be reached now')
      : toAppError(error);
    if (!appError) {
      logger.error('request failed', {
        error,
        method: request.method,
        path: request.path,
        requestId: request.requestId,
      });
      sendProblem(response, {
        type: problemTypeUri('internal'),
        title: 'Internal server error',
        status: 500,
        instance: request.originalUrl,
      });
      return;
    }
    // The rest of the request never came: the connection cannot carry another one.
    if (appError.status === 408) response.setHeader('Connection', 'close');
    if (appError.status === 503 || appError.status === 429) {
      const retryAfter = (appError as { retryAfterSeconds?: number }).retryAfterSeconds ?? 5;
      response.setHeader('Retry-After', String(retryAfter));
    }
    sendProblem(response, {
      type: problemTypeUri(appError.kind),
      title: appError.title,
      status: appError.status,
      detail: appError.message,
      instance: request.originalUrl,
      ...appError.extensions,
    });
  };
}

export const notFoundHandler: RequestHandler = (request, response) => {
  sendProblem(response, {
    type: problemTypeUri('not-found'),
    title: 'Not found',
    status: 404,
    detail: `No route for ${request.method} ${request.path}`,
    instance: request.originalUrl,
  });
};

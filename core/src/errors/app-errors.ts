/**
 * The few kinds of failure a handler may throw. One express error handler turns them into RFC 9457
 * problem+json; handlers never build error responses by hand.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    readonly title: string,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

export class BadRequestError extends AppError {
  constructor(detail: string, extensions: Record<string, unknown> = {}) {
    super(400, 'bad-request', 'Bad request', detail, extensions);
  }
}

export interface SchemaViolation {
  /** JSON Pointer to the failing value ("" for the root, "/events/3/type"). */
  path: string;
  message: string;
}

/** The body is well-formed JSON but breaks the schema: 422 with every failing path. */
export class SchemaViolationError extends AppError {
  constructor(
    detail: string,
    readonly violations: SchemaViolation[],
  ) {
    super(422, 'schema-violation', 'The content does not match its schema', detail, { errors: violations });
  }
}

export class UnauthorisedError extends AppError {
  constructor(detail: string) {
    super(401, 'unauthorised', 'Unauthorised', detail);
  }
}

export class ForbiddenError extends AppError {
  constructor(detail: string) {
    super(403, 'forbidden', 'Forbidden', detail);
  }
}

export class NotFoundError extends AppError {
  constructor(detail: string) {
    super(404, 'not-found', 'Not found', detail);
  }
}

export class ConflictError extends AppError {
  constructor(detail: string, extensions: Record<string, unknown> = {}) {
    super(409, 'conflict', 'Conflict', detail, extensions);
  }
}

/** The client did not send the whole request in time; the connection is closed after the answer. */
export class RequestTimeoutError extends AppError {
  constructor(detail: string) {
    super(408, 'request-timeout', 'Request timeout', detail);
  }
}

export class ContentTooLargeError extends AppError {
  constructor(detail: string) {
    super(413, 'content-too-large', 'Content too large', detail);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(detail: string) {
    super(415, 'unsupported-media-type', 'Unsupported media type', detail);
  }
}

/** A dependency (broker, database) cannot do its part now; the client should try again later. */
export class UnavailableError extends AppError {
  constructor(
    detail: string,
    readonly retryAfterSeconds = 5,
  ) {
    super(503, 'unavailable', 'Service unavailable', detail);
  }
}

/** Too many requests from this caller on this route: try again after `retryAfterSeconds`. */
export class TooManyRequestsError extends AppError {
  constructor(
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'too-many-requests', 'Too many requests', detail);
  }
}

export class BadGatewayError extends AppError {
  constructor(detail: string) {
    super(502, 'bad-gateway', 'Bad gateway', detail);
  }
}

export class GatewayTimeoutError extends AppError {
  constructor(detail: string) {
    super(504, 'gateway-timeout', 'Gateway timeout', detail);
  }
}

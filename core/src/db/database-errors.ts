// The database could not be reached or the session was lost under the query: "the database system is
// shutting down/starting up" (57P01-57P03, a restart), connection exceptions (08xxx) and the socket errors
// of a server that is gone or not there yet. Nothing about the statement itself.
const connectionCodes = new Set([
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

// Contention the same statement survives when run again: serialisation failure, deadlock.
const contentionCodes = new Set(['40001', '40P01']);

// What pg and pg-pool say, without a code, of a connection that ended, never came or was already broken.
const connectionMessages =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Client was closed and is not queryable/i;

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

/**
 * True when PostgreSQL was away rather than the statement wrong: the same work succeeds once the server
 * answers again. Looks into an AggregateError's errors (a host name with several addresses) and a `cause`.
 */
export function isDatabaseConnectionError(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const code = codeOf(error);
  if (typeof code === 'string' && connectionCodes.has(code)) return true;
  if (error instanceof Error && connectionMessages.test(error.message)) return true;
  if (error instanceof AggregateError && error.errors.some(isDatabaseConnectionError)) return true;
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error && isDatabaseConnectionError(cause);
}

/**
 * As graphile-worker: serialisation failures, deadlocks and connection errors are worth running the same
 * work again; anything else is a real error and is rethrown at once.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  const code = codeOf(error);
  return (typeof code === 'string' && contentionCodes.has(code)) || isDatabaseConnectionError(error);
}

/**
 * PostgreSQL refused a statement for the values in it, not for the state of the database or the
 * connection: SQLSTATE class 22 (data exception: a number out of range, a time it cannot read, a byte
 * sequence it cannot encode), 23 (integrity constraint: not null, check, unique, foreign key) or 54 (program
 * limit: an index row too large). Running the same statement again fails again, so a retry only repeats
 * it; a handler isolates what was refused instead (`QueueWorkerOptions.isolatesDataErrors`).
 */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23|54)[0-9A-Z]{3}$/.test(code);
}

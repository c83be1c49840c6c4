import winston from 'winston';
import { currentContext } from './request-context.js';

export type Logger = winston.Logger;

const MESSAGE = Symbol.for('message');

/**
 * Everything a line needs in one pass (winston runs each format as its own step, and the usual chain of
 * five cost the ingest path about as much as publishing a message): the ids of the current message from
 * the async context, errors serialised with their stack, a timestamp, then one JSON.stringify.
 */
const jsonLine = winston.format((info) => {
  const line: Record<string, unknown> = { level: info.level };
  const context = currentContext();
  for (const key in context) {
    const value = context[key as keyof typeof context];
    if (value !== undefined) line[key] = value;
  }
  for (const key in info) {
    const value = info[key];
    line[key] = value instanceof Error ? serialiseError(value) : value;
  }
  // logger.error(error) makes the error itself the info object (message and stack are not enumerable),
  // or passes it as the message.
  const bare = info instanceof Error ? info : info.message instanceof Error ? info.message : undefined;
  if (bare) {
    line.message = bare.message;
    line.stack = bare.stack;
  }
  line.timestamp = new Date().toISOString();
  info[MESSAGE] = stringify(line);
  return info;
});

function stringify(line: Record<string, unknown>): string {
  try {
    return JSON.stringify(line, (_key, value: unknown) =>
      typeof value === 'bigint' ? value.toString() : value,
    );
  } catch {
    // A circular structure among the fields: log what can be said rather than throw from a log call.
    return JSON.stringify({
      level: line.level,
      message: String(line.message),
      module: line.module,
      note: 'fields not serialisable',
    });
  }
}

/** JSON.stringify turns an Error into `{}`; a field holding one keeps its name, message, stack and code. */
function serialiseError(error: Error): Record<string, unknown> {
  const cause = (error as { cause?: unknown }).cause;
  return {
    ...error,
    name: error.name,
    message: error.message,
    stack: error.stack,
    ...(cause instanceof Error ? { cause: serialiseError(cause) } : {}),
  };
}

export interface LoggerOptions {
  level: string;
  module: string;
  /** Tests pass a stream to read what was logged; by default lines go to stdout. */
  stream?: NodeJS.WritableStream;
  /** Tests that do not read the log keep the output quiet. */
  silent?: boolean;
}

/** JSON lines: one event per line with its fields, the module's name and the current work ids. */
export function createLogger(options: LoggerOptions): Logger {
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console();
  return winston.createLogger({
    level: options.level,
    silent: options.silent ?? false,
    defaultMeta: { module: options.module },
    format: jsonLine(),
    transports: [transport],
  });
}

import winston from 'winston';
import { currentContext } from './request-context.js';

export type Logger = winston.Logger;

/** Adds the ids of the current request or message to every line, so one id finds a whole story. */
const withWorkContext = winston.format((info) => {
  const context = currentContext();
  for (const [key, value] of Object.entries(context)) {
    if (value !== undefined && info[key] === undefined) info[key] = value;
  }
  return info;
});

/** JSON.stringify turns an Error into `{}`; a field holding one keeps its name, message, stack and code. */
const withSerialisedErrors = winston.format((info) => {
  for (const [key, value] of Object.entries(info)) {
    if (value instanceof Error) info[key] = serialiseError(value);
  }
  return info;
});

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
    format: winston.format.combine(
      withWorkContext(),
      withSerialisedErrors(),
      winston.format.timestamp(),
      winston.format.errors({ stack: true }),
      winston.format.json(),
    ),
    transports: [transport],
  });
}

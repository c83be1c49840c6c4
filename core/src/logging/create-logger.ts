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
      winston.format.timestamp(),
      winston.format.errors({ stack: true }),
      winston.format.json(),
    ),
    transports: [transport],
  });
}

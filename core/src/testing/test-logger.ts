import { PassThrough } from 'node:stream';
import { createLogger, type Logger } from '../logging/index.js';

/** A logger for tests: silent unless TEST_LOG_LEVEL asks for lines. */
export function testLogger(module = 'test'): Logger {
  const level = process.env.TEST_LOG_LEVEL;
  return createLogger({ level: level ?? 'error', module, silent: level === undefined });
}

export type LogLine = Record<string, unknown>;

/** A logger writing into memory, and a way to read its lines once winston has flushed them. */
export function capturedLogger(
  level = 'info',
  module = 'test',
): { logger: Logger; lines: () => Promise<LogLine[]> } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const logger = createLogger({ level, module, stream });
  return {
    logger,
    async lines() {
      // winston writes through a stream: let the pending writes land before reading.
      await new Promise((resolve) => setImmediate(resolve));
      return text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as LogLine);
    },
  };
}

import { PassThrough } from 'node:stream';
import { createLogger, type Logger } from '@repopulse/core';

export type LogLine = Record<string, unknown>;

/** A logger writing into memory, and a way to read its lines once winston has flushed them. */
export function capturedLogger(): { logger: Logger; lines: () => Promise<LogLine[]> } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const logger = createLogger({ level: 'info', module: 'auth-test', stream });
  return {
    logger,
    async lines() {
      await new Promise((resolve) => setImmediate(resolve));
      return text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as LogLine);
    },
  };
}

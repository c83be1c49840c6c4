import type { Logger } from '../logging/index.js';

/**
 * SIGTERM / SIGINT run `stop` once (stop accepting, finish in-flight work, close connections); a second
 * signal while stopping forces the exit, as an impatient operator expects.
 */
export function stopOnSignal(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn('second signal while stopping: exiting now', { signal });
      process.exit(1);
    }
    stopping = true;
    logger.info('stopping', { signal });
    stop().then(
      () => {
        logger.info('stopped');
        process.exitCode = 0;
        // Winston writes asynchronously; give the last lines a moment before exiting.
        setTimeout(() => process.exit(), 50).unref();
      },
      (error: unknown) => {
        logger.error('stop failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

import { collectDefaultMetrics, Registry } from 'prom-client';
import { createLogger, loadConfigOrExit, startHttpServer, stopOnSignal } from '@repopulse/core';
import { createApp } from './app.js';
import { clientPanelConfig } from './config.js';

const config = loadConfigOrExit(clientPanelConfig);
const logger = createLogger({ level: config.LOG_LEVEL, module: 'client-panel' });
const registry = new Registry();
collectDefaultMetrics({ register: registry });

const server = await startHttpServer(
  createApp({
    logger,
    registry,
    uiDirectory: config.CLIENT_UI_DIR,
    forwardedIdentity: { secrets: config.INTERNAL_SECRET },
  }),
  config.PORT,
  config.HOST,
);
logger.info('client panel listening', { port: server.port });

stopOnSignal(logger, async () => {
  await server.close(config.SHUTDOWN_TIMEOUT_MS);
});

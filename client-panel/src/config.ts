import { fileURLToPath } from 'node:url';
import { port, text, variables } from '@repopulse/core';

export const clientPanelConfig = {
  PORT: port(3004),
  HOST: variables.HOST,
  INTERNAL_SECRET: variables.INTERNAL_SECRET,
  LOG_LEVEL: variables.LOG_LEVEL,
  SHUTDOWN_TIMEOUT_MS: variables.SHUTDOWN_TIMEOUT_MS,
  /** The built dashboards (`npm run build` writes them to client-panel/dist-ui). */
  CLIENT_UI_DIR: text({ defaultValue: fileURLToPath(new URL('../dist-ui', import.meta.url)) }),
};

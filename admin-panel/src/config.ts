import { fileURLToPath } from 'node:url';
import { port, text, variables } from '@repopulse/core';

export const adminPanelConfig = {
  PORT: port(3003),
  DATABASE_URL: variables.DATABASE_URL,
  LOG_LEVEL: variables.LOG_LEVEL,
  SHUTDOWN_TIMEOUT_MS: variables.SHUTDOWN_TIMEOUT_MS,
  CRON_TIMEZONE: variables.CRON_TIMEZONE,
  /** The built admin UI (`npm run build` writes it to admin-panel/dist-ui). */
  ADMIN_UI_DIR: text({ defaultValue: fileURLToPath(new URL('../dist-ui', import.meta.url)) }),
};

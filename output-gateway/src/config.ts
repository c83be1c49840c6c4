import { loadConfigOrExit, port, variables, type ConfigOf } from '@repopulse/core';

/** Every variable the output gateway reads, with the defaults of docs/DESIGN.md. */
export const configSpec = {
  PORT: port(3002),
  HOST: variables.HOST,
  INTERNAL_SECRET: variables.INTERNAL_SECRET,
  DATABASE_URL: variables.DATABASE_URL,
  /** A read replica in production; unset, the gateway reads from DATABASE_URL. */
  DATABASE_READ_URL: variables.DATABASE_READ_URL,
  LOG_LEVEL: variables.LOG_LEVEL,
  SHUTDOWN_TIMEOUT_MS: variables.SHUTDOWN_TIMEOUT_MS,
};

export type OutputGatewayConfig = ConfigOf<typeof configSpec>;

/** Reads the environment, or names the wrong variable and exits. */
export function loadConfig(): OutputGatewayConfig {
  return loadConfigOrExit(configSpec);
}

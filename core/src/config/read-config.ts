import { readFileSync } from 'node:fs';

/** One environment variable: how to parse it and what it defaults to. */
export interface VariableSpec<T> {
  parse: (raw: string) => T;
  /** Used when the variable is unset or empty; a spec without one makes the variable required. */
  defaultValue?: T | (() => T);
}

export type ConfigSpec = Record<string, VariableSpec<unknown>>;
export type ConfigOf<S extends ConfigSpec> = {
  [K in keyof S]: S[K] extends VariableSpec<infer T> ? T : never;
};

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads every variable of `spec` from `env`. `NAME_FILE` (a Docker secret's path) is read when `NAME`
 * itself is unset, so secrets never need to sit in the environment.
 */
export function readConfig<S extends ConfigSpec>(spec: S, env: NodeJS.ProcessEnv): ConfigOf<S> {
  const result: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(spec)) {
    const raw = readRaw(name, env);
    if (raw === undefined) {
      if (variable.defaultValue === undefined) throw new ConfigError(name, 'is required but not set');
      const fallback = variable.defaultValue;
      result[name] = typeof fallback === 'function' ? (fallback as () => unknown)() : fallback;
      continue;
    }
    try {
      result[name] = variable.parse(raw);
    } catch (error) {
      throw new ConfigError(name, (error as Error).message);
    }
  }
  return result as ConfigOf<S>;
}

function readRaw(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const direct = env[name];
  if (direct !== undefined && direct.trim() !== '') return direct.trim();
  const filePath = env[`${name}_FILE`];
  if (filePath === undefined || filePath.trim() === '') return undefined;
  let content: string;
  try {
    content = readFileSync(filePath.trim(), 'utf8').trim();
  } catch (error) {
    throw new ConfigError(`${name}_FILE`, `cannot read ${filePath}: ${(error as Error).message}`);
  }
  // Blank like a blank variable: unset. A Docker secret cannot be empty, so "no GitHub tokens" is a file
  // holding a newline, and that must not become an empty webhook secret anyone could sign with.
  return content === '' ? undefined : content;
}

/** Reads the config, or prints which variable is wrong and exits: a service never starts half-configured. */
export function loadConfigOrExit<S extends ConfigSpec>(
  spec: S,
  env: NodeJS.ProcessEnv = process.env,
): ConfigOf<S> {
  try {
    return readConfig(spec, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`configuration error: ${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { variables, type ConfigSpec, type VariableSpec } from '../src/index.js';

/**
 * Every module's configuration spec, found from the code rather than listed here: the modules are those
 * of scripts/modules.mjs (which the supervisor and the test runner share), and a module's spec is what its
 * src/config.ts exports. Core's own `variables` stand for `npm run migrate` and any module to come.
 */
export interface ModuleConfig {
  module: string;
  spec: ConfigSpec;
}

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

export async function loadModuleConfigs(): Promise<ModuleConfig[]> {
  const modulesFile = pathToFileURL(join(repositoryRoot, 'scripts', 'modules.mjs')).href;
  const { serviceModules } = (await import(modulesFile)) as { serviceModules: string[] };
  const configs: ModuleConfig[] = [{ module: 'core', spec: variables }];
  for (const module of serviceModules) {
    const configFile = join(repositoryRoot, module, 'src', 'config.ts');
    // A module not built yet (the client panel) has no configuration to check.
    if (!existsSync(configFile)) continue;
    const exported = (await import(pathToFileURL(configFile).href)) as Record<string, unknown>;
    const specs = Object.values(exported).filter(isConfigSpec);
    if (specs.length === 0) throw new Error(`${module}/src/config.ts exports no configuration spec`);
    configs.push({ module, spec: Object.assign({}, ...specs) as ConfigSpec });
  }
  return configs;
}

function isConfigSpec(value: unknown): value is ConfigSpec {
  if (typeof value !== 'object' || value === null) return false;
  const entries = Object.values(value);
  return (
    entries.length > 0 &&
    entries.every((entry) => typeof (entry as VariableSpec<unknown>)?.parse === 'function')
  );
}

/** Names that hold a secret by what they are called (GITHUB_WEBHOOK_SECRET_CACHE_TTL_MS is not one). */
const secretName = /(PASSWORD|SECRET|TOKENS?|_KEY)$/;

/** Schemes whose connections always authenticate: their URLs carry a password when deployed. */
const authenticatedSchemes = ['postgres', 'postgresql', 'amqp', 'amqps'];
const urlSchemes = [...authenticatedSchemes, 'http', 'https'];

/** The schemes a variable accepts as a URL with a user and password, or none when it is no URL variable. */
export function acceptedUrlSchemes(variable: VariableSpec<unknown>): string[] {
  if (accepts(variable, 'not a url')) return [];
  return urlSchemes.filter((scheme) =>
    accepts(variable, `${scheme}://user:password@host.internal:1234/name`),
  );
}

function accepts(variable: VariableSpec<unknown>, raw: string): boolean {
  try {
    variable.parse(raw);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a variable holds a secret: its name says so, or it is a URL that carries credentials, because
 * it connects to a database or broker, or because its default already names a user (RabbitMQ's
 * management API). An upstream's or GitHub's URL is not one.
 */
export function isSecretVariable(name: string, variable: VariableSpec<unknown>): boolean {
  if (secretName.test(name)) return true;
  const schemes = acceptedUrlSchemes(variable);
  if (schemes.length === 0) return false;
  if (schemes.some((scheme) => authenticatedSchemes.includes(scheme))) return true;
  const fallback = typeof variable.defaultValue === 'string' ? variable.defaultValue : undefined;
  return fallback !== undefined && new URL(fallback).username !== '';
}

export function secretVariables(spec: ConfigSpec): string[] {
  return Object.entries(spec)
    .filter(([name, variable]) => isSecretVariable(name, variable))
    .map(([name]) => name)
    .sort();
}

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/**
 * The deployment files as the tests read them: swarm/stack.yml, Traefik's static and dynamic configuration
 * and the Dockerfile. Parsed as written (no ${VAR} interpolation), with YAML merge keys resolved like
 * Docker's loader does, and typed only as far as the tests look into them.
 */
export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface PortConfig {
  target: number;
  published?: number;
  mode?: string;
}

export interface SecretReference {
  source: string;
  target?: string;
}

export interface Service {
  image: string;
  command?: string[];
  environment?: Record<string, string>;
  secrets?: Array<string | SecretReference>;
  configs?: Array<{ source: string; target: string }>;
  ports?: Array<PortConfig | string>;
  volumes?: Array<string | { type: string; source?: string; target: string }>;
  networks?: string[] | Record<string, unknown>;
  healthcheck?: { test?: string[]; disable?: boolean; interval?: string; start_period?: string };
  labels?: Record<string, string> | string[];
  deploy?: {
    mode?: string;
    replicas?: number;
    labels?: Record<string, string>;
    placement?: { constraints?: string[] };
    update_config?: { order?: string; failure_action?: string };
    rollback_config?: { order?: string };
    restart_policy?: { condition?: string };
    resources?: { limits?: { cpus?: string; memory?: string } };
    endpoint_mode?: string;
  };
}

export interface Stack {
  services: Record<string, Service>;
  networks: Record<string, { name?: string; driver?: string; driver_opts?: Record<string, string> }>;
  volumes: Record<string, unknown>;
  secrets: Record<string, { external?: boolean; name?: string; file?: string; environment?: string }>;
  configs: Record<string, { name?: string; file?: string }>;
}

function readYaml<T>(...path: string[]): T {
  return parse(readFileSync(join(repositoryRoot, ...path), 'utf8'), { merge: true }) as T;
}

export function readStack(): Stack {
  return readYaml<Stack>('swarm', 'stack.yml');
}

export interface TraefikStatic {
  entryPoints: Record<
    string,
    {
      address: string;
      http?: {
        redirections?: { entryPoint?: { to?: string; scheme?: string } };
        tls?: unknown;
        middlewares?: string[];
      };
      transport?: {
        respondingTimeouts?: { readTimeout?: string; writeTimeout?: string; idleTimeout?: string };
      };
    }
  >;
  providers: {
    swarm?: { exposedByDefault?: boolean; network?: string };
    docker?: unknown;
    file?: { directory?: string };
  };
  accessLog?: { format?: string; fields?: { headers?: { defaultMode?: string } } };
  api?: { dashboard?: boolean; insecure?: boolean };
  certificatesResolvers?: Record<string, { acme?: unknown }>;
}

export function readTraefikStatic(): TraefikStatic {
  return readYaml<TraefikStatic>('traefik', 'traefik.yml');
}

export interface TraefikDynamic {
  http?: {
    routers?: Record<string, { service?: string }>;
    services?: Record<string, unknown>;
    middlewares?: Record<string, Record<string, Record<string, unknown>>>;
  };
  tcp?: { routers?: Record<string, unknown> };
  udp?: { routers?: Record<string, unknown> };
  tls?: unknown;
}

/** Every dynamic configuration file, by file name. */
export function readTraefikDynamic(): Record<string, TraefikDynamic> {
  const directory = join(repositoryRoot, 'traefik', 'dynamic');
  const files = readdirSync(directory).filter((file) => /\.ya?ml$/.test(file));
  return Object.fromEntries(
    files.map((file) => [file, readYaml<TraefikDynamic>('traefik', 'dynamic', file)]),
  );
}

export function readRepositoryFile(...path: string[]): string {
  return readFileSync(join(repositoryRoot, ...path), 'utf8');
}

/** The module an image of ours was built from (swarm/build-images.sh): the migration image is core's. */
export function moduleOfImage(image: string): string | undefined {
  const match = /^\$\{REPOPULSE_REGISTRY[^}]*\}\/([a-z-]+):\$\{REPOPULSE_VERSION[^}]*\}$/.exec(image);
  if (!match) return undefined;
  return match[1] === 'migrate' ? 'core' : match[1];
}

export function networksOf(service: Service): string[] {
  const networks = service.networks ?? [];
  return Array.isArray(networks) ? networks : Object.keys(networks);
}

export function secretsOf(service: Service): SecretReference[] {
  return (service.secrets ?? []).map((secret) => (typeof secret === 'string' ? { source: secret } : secret));
}

/** Where Swarm mounts a secret reference in the container. */
export function secretPath(secret: SecretReference): string {
  const target = secret.target ?? secret.source;
  return target.startsWith('/') ? target : `/run/secrets/${target}`;
}

/** The named volumes a service mounts (binds and tmpfs are not named volumes). */
export function namedVolumesOf(service: Service, stack: Stack): string[] {
  return (service.volumes ?? [])
    .map((volume) =>
      typeof volume === 'string'
        ? volume.split(':')[0]!
        : volume.type === 'volume'
          ? volume.source
          : undefined,
    )
    .filter((name): name is string => name !== undefined && name in stack.volumes);
}

export function isJob(service: Service): boolean {
  return service.deploy?.mode === 'replicated-job' || service.deploy?.mode === 'global-job';
}

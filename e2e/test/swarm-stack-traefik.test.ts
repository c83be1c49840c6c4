import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  readStack,
  readTraefikDynamic,
  readTraefikStatic,
  secretPath,
  secretsOf,
} from './swarm-stack-files.js';

const stack = readStack();
const traefikService = stack.services.traefik!;
const traefik = readTraefikStatic();
const dynamicFiles = readTraefikDynamic();
const middlewares = Object.assign(
  {},
  ...Object.values(dynamicFiles).map((file) => file.http?.middlewares ?? {}),
);

function portOf(address: string): number {
  return Number(/:(\d+)$/.exec(address)?.[1]);
}

describe('traefik/: what Traefik exposes', () => {
  test('the Swarm provider exposes nothing by default, on the stack’s public network', () => {
    assert.equal(traefik.providers.swarm?.exposedByDefault, false);
    assert.equal(traefik.providers.docker, undefined, 'the plain Docker provider would see every container');
    assert.equal(traefik.providers.swarm?.network, stack.networks.public!.name);
  });

  test('the dynamic configuration routes nothing itself: the proxy’s labels are the only route', () => {
    for (const [file, dynamic] of Object.entries(dynamicFiles)) {
      assert.equal(dynamic.http?.routers, undefined, `${file} defines HTTP routers`);
      assert.equal(dynamic.http?.services, undefined, `${file} defines HTTP services`);
      assert.equal(dynamic.tcp, undefined, `${file} defines TCP routing`);
      assert.equal(dynamic.udp, undefined, `${file} defines UDP routing`);
    }
  });

  test('HTTP on :80 redirects to HTTPS on :443', () => {
    const { web, websecure } = traefik.entryPoints;
    assert.equal(portOf(web!.address), 80);
    assert.equal(web!.http?.redirections?.entryPoint?.to, 'websecure');
    assert.equal(web!.http?.redirections?.entryPoint?.scheme, 'https');
    assert.equal(portOf(websecure!.address), 443);
    assert.ok(websecure!.http?.tls, 'websecure has no TLS');
  });

  test('only the web and websecure entrypoints are published', () => {
    const published = new Map(
      (traefikService.ports ?? []).map((port) =>
        typeof port === 'string' ? [0, 0] : [port.target, port.published],
      ),
    );
    for (const [name, entryPoint] of Object.entries(traefik.entryPoints)) {
      const exposed = published.has(portOf(entryPoint.address));
      assert.equal(exposed, name === 'web' || name === 'websecure', `entrypoint ${name}`);
    }
  });

  test('no dashboard or API is served', () => {
    assert.notEqual(traefik.api?.dashboard, true);
    assert.notEqual(traefik.api?.insecure, true);
  });

  test('ACME is available as an option and the router uses it only when asked to', () => {
    assert.ok(traefik.certificatesResolvers?.letsencrypt?.acme, 'no ACME resolver');
    const labels = stack.services['permission-proxy']!.deploy!.labels!;
    assert.equal(
      labels['traefik.http.routers.permission-proxy.tls.certresolver'],
      '${TRAEFIK_CERT_RESOLVER:-}',
    );
  });
});

describe('traefik/: middlewares and logs', () => {
  test('HTTPS requests pass security headers and compression; the general router a rate limit, each defined', () => {
    const applied = traefik.entryPoints.websecure!.http?.middlewares ?? [];
    const expected = { 'security-headers': 'headers', compress: 'compress' };
    for (const [name, kind] of Object.entries(expected)) {
      assert.ok(applied.includes(`${name}@file`), `websecure does not apply ${name}`);
      assert.ok(middlewares[name]?.[kind], `${name} is not a ${kind} middleware`);
    }
    const labels = stack.services['permission-proxy']!.deploy!.labels!;
    const general = (labels['traefik.http.routers.permission-proxy.middlewares'] ?? '').split(/,\s*/);
    assert.ok(general.includes('rate-limit@file'), 'the general router has no rate limit');
    assert.ok(middlewares['rate-limit']?.rateLimit, 'rate-limit is not a rateLimit middleware');
    for (const reference of [...applied, ...general]) {
      assert.ok(middlewares[reference.replace(/@file$/, '')], `${reference} is not defined`);
    }
  });

  test('forge webhooks are never limited for rate, and every router bounds requests in flight per address', () => {
    const labels = stack.services['permission-proxy']!.deploy!.labels!;
    assert.match(
      labels['traefik.http.routers.permission-proxy-webhooks.rule']!,
      /PathPrefix\(`\/ingest\/v1\/webhooks\/`\)/,
    );
    const webhooks = (labels['traefik.http.routers.permission-proxy-webhooks.middlewares'] ?? '').split(
      /,\s*/,
    );
    assert.ok(!webhooks.includes('rate-limit@file'), 'webhooks are rate-limited');
    assert.ok(!(traefik.entryPoints.websecure!.http?.middlewares ?? []).includes('rate-limit@file'));
    for (const router of ['permission-proxy', 'permission-proxy-webhooks']) {
      const applied = (labels[`traefik.http.routers.${router}.middlewares`] ?? '').split(/,\s*/);
      assert.ok(applied.includes('in-flight@file'), `${router} does not bound requests in flight`);
    }
    assert.ok(middlewares['in-flight']?.inFlightReq?.amount > 0);
    // A trickled request is cut: the whole request must arrive within a bounded time.
    const readTimeout = traefik.entryPoints.websecure!.transport?.respondingTimeouts?.readTimeout ?? '';
    assert.match(readTimeout, /^\d+s$/);
    assert.ok(Number.parseInt(readTimeout, 10) <= 60);
  });

  test('the headers force HTTPS and forbid sniffing and framing; the rate limit is bounded', () => {
    const headers = middlewares['security-headers'].headers;
    assert.ok(headers.stsSeconds >= 31536000);
    assert.equal(headers.contentTypeNosniff, true);
    assert.equal(headers.frameDeny, true);
    const rateLimit = middlewares['rate-limit'].rateLimit;
    assert.ok(rateLimit.average > 0 && rateLimit.burst >= rateLimit.average);
  });

  test('access logs are JSON and drop request headers (credentials) by default', () => {
    assert.equal(traefik.accessLog?.format, 'json');
    assert.equal(traefik.accessLog?.fields?.headers?.defaultMode, 'drop');
  });

  test('every dynamic file is mounted where the file provider reads, and its secrets with it', () => {
    const directory = traefik.providers.file?.directory;
    const targets = (traefikService.configs ?? []).map((config) => config.target);
    for (const file of Object.keys(dynamicFiles)) assert.ok(targets.includes(`${directory}/${file}`), file);
    const secretPaths = secretsOf(traefikService).map(secretPath);
    const certificate = (dynamicFiles['tls.yml']?.tls ?? {}) as {
      stores?: { default?: { defaultCertificate?: { certFile?: string; keyFile?: string } } };
    };
    const { certFile, keyFile } = certificate.stores?.default?.defaultCertificate ?? {};
    assert.ok(certFile && secretPaths.includes(certFile), 'the default certificate is not a mounted secret');
    assert.ok(keyFile && secretPaths.includes(keyFile), 'the default key is not a mounted secret');
  });
});

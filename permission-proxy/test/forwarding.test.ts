import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '@repopulse/core/testing';
import {
  startProxyUnderTest,
  startUpstream,
  type ProxyUnderTest,
  type TestUpstream,
} from './forwarding-test-servers.js';

interface Echo {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers what it received; a few paths answer in special ways. */
async function startEchoUpstream(): Promise<TestUpstream> {
  return startUpstream(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (request.url === '/cookies') {
      response.setHeader('set-cookie', ['session=abc; Path=/; HttpOnly', 'theme=dark; Path=/']);
      response.setHeader('x-upstream-note', 'kept');
      response.end('ok');
      return;
    }
    if (request.url?.startsWith('/status/')) {
      response.statusCode = Number(request.url.slice('/status/'.length));
      response.setHeader('content-type', 'text/plain');
      response.end(`status ${response.statusCode}`);
      return;
    }
    if (request.url === '/etag') {
      response.setHeader('etag', '"v1"');
      response.setHeader('cache-control', 'private, max-age=60');
      if (request.headers['if-none-match'] === '"v1"') {
        response.statusCode = 304;
        response.end();
      } else {
        response.end('fresh');
      }
      return;
    }
    if (request.url === '/closing') {
      // An upstream about to shut down says so for its own connection only.
      response.setHeader('connection', 'close');
      response.end('bye');
      return;
    }
    if (request.url === '/sized') {
      response.end('x'.repeat(1234));
      return;
    }
    const echo: Echo = { method: request.method!, url: request.url!, headers: request.headers, body };
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(echo));
  });
}

/** A plain node request, for headers fetch will not send (Connection) and to read the raw answer. */
async function rawRequest(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ response: IncomingMessage; body: string }> {
  const request = httpRequest({
    host: '127.0.0.1',
    port,
    method: options.method ?? 'GET',
    path: options.path,
    headers: options.headers,
  });
  request.end(options.body);
  const [response] = (await once(request, 'response')) as [IncomingMessage];
  let body = '';
  for await (const chunk of response) body += String(chunk);
  return { response, body };
}

describe('forwarding to an upstream', () => {
  let upstream: TestUpstream;
  let proxy: ProxyUnderTest;

  before(async () => {
    upstream = await startEchoUpstream();
    proxy = await startProxyUnderTest({
      upstream: upstream.url,
      headersFor: () => ({
        'X-User-Id': 'user:7',
        'X-User-Roles': 'analyst',
        'x-scope-max-limit': '50',
        'x-request-id': 'req-1',
      }),
    });
  });
  after(async () => {
    await proxy.stop();
    await upstream.close();
  });

  test('forwards GET, POST, PUT, PATCH and DELETE with their bodies and answers what the upstream answered', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      const body = method === 'GET' ? undefined : JSON.stringify({ method, text: 'héllo wörld' });
      const response = await fetch(`${proxy.base}/api/v1/things/1`, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body,
      });
      assert.equal(response.status, 200, method);
      const echo = (await response.json()) as Echo;
      assert.equal(echo.method, method);
      assert.equal(echo.url, '/v1/things/1');
      assert.equal(echo.body, body ?? '');
      if (body) assert.equal(echo.headers['content-type'], 'application/json');
    }
  });

  test('keeps the path and the query string exactly as the caller gave them', async () => {
    const query = '?from=2025-01-01T00:00:00Z&interval=week&q=a%20b&q=%2F%2Fc&empty=&flag';
    const response = await fetch(`${proxy.base}/api/v1/repositories/acme/wid%40gets/activity${query}`);
    const echo = (await response.json()) as Echo;
    assert.equal(echo.url, `/v1/repositories/acme/wid%40gets/activity${query}`);
  });

  test('drops identity and scope headers a client sent and sets exactly the ones the caller prepared', async () => {
    const response = await fetch(`${proxy.base}/api/v1/me`, {
      headers: {
        'X-User-Id': 'user:1',
        'X-User-Roles': 'admin',
        'X-User-Name': 'root',
        'X-Scope-Param-Owner': 'everyone',
        'X-Request-Id': 'spoofed',
        'Accept-Language': 'cs',
      },
    });
    const { headers } = (await response.json()) as Echo;
    const identity = Object.fromEntries(
      Object.entries(headers).filter(([name]) => /^x-(user|scope)-|^x-request-id$/.test(name)),
    );
    assert.deepEqual(identity, {
      'x-user-id': 'user:7',
      'x-user-roles': 'analyst',
      'x-scope-max-limit': '50',
      'x-request-id': 'req-1',
    });
    assert.equal(headers['accept-language'], 'cs');
  });

  test('keeps the public Host and adds X-Forwarded-For, -Proto and -Host', async () => {
    const response = await fetch(`${proxy.base}/api/v1/where`);
    const { headers } = (await response.json()) as Echo;
    assert.equal(headers.host, `127.0.0.1:${proxy.port}`);
    assert.match(String(headers['x-forwarded-for']), /^(::ffff:)?127\.0\.0\.1$/);
    assert.equal(headers['x-forwarded-proto'], 'http');
    assert.equal(headers['x-forwarded-host'], `127.0.0.1:${proxy.port}`);
  });

  test('appends the client address to an X-Forwarded-For set by a proxy in front', async () => {
    const response = await fetch(`${proxy.base}/api/v1/where`, {
      headers: { 'X-Forwarded-For': '203.0.113.9' },
    });
    const { headers } = (await response.json()) as Echo;
    assert.match(String(headers['x-forwarded-for']), /^203\.0\.113\.9,(::ffff:)?127\.0\.0\.1$/);
  });

  test('does not pass on headers about the connection, in either direction', async () => {
    const { body } = await rawRequest(proxy.port, {
      path: '/api/v1/hops',
      headers: {
        connection: 'keep-alive, x-private-hop',
        'x-private-hop': 'secret',
        'keep-alive': 'timeout=5',
        'proxy-authorization': 'Basic Zm9vOmJhcg==',
        te: 'trailers',
      },
    });
    const { headers } = JSON.parse(body) as Echo;
    for (const name of ['x-private-hop', 'keep-alive', 'proxy-authorization', 'te']) {
      assert.equal(headers[name], undefined, name);
    }
    assert.equal(headers.connection, 'keep-alive'); // the proxy's own, for its pooled socket

    const closing = await rawRequest(proxy.port, { path: '/api/closing' });
    assert.equal(closing.body, 'bye');
    assert.notEqual(closing.response.headers.connection, 'close');
  });

  test('passes status codes and bodies through, errors included', async () => {
    for (const status of [201, 202, 400, 404, 418, 500, 503]) {
      const response = await fetch(`${proxy.base}/api/status/${status}`);
      assert.equal(response.status, status);
      assert.equal(await response.text(), `status ${status}`);
    }
  });

  test('passes response headers through, each Set-Cookie on its own', async () => {
    const response = await fetch(`${proxy.base}/api/cookies`);
    assert.deepEqual(response.headers.getSetCookie(), [
      'session=abc; Path=/; HttpOnly',
      'theme=dark; Path=/',
    ]);
    assert.equal(response.headers.get('x-upstream-note'), 'kept');
  });

  test('passes conditional requests through: a matching ETag gets 304 without a body', async () => {
    const fresh = await fetch(`${proxy.base}/api/etag`);
    assert.equal(fresh.status, 200);
    assert.equal(await fresh.text(), 'fresh');
    const unchanged = await fetch(`${proxy.base}/api/etag`, { headers: { 'If-None-Match': '"v1"' } });
    assert.equal(unchanged.status, 304);
    assert.equal(unchanged.headers.get('etag'), '"v1"');
    assert.equal(unchanged.headers.get('cache-control'), 'private, max-age=60');
    assert.equal(await unchanged.text(), '');
  });

  test('reports the status and the body bytes that went each way', async () => {
    const before = proxy.results.length;
    const response = await fetch(`${proxy.base}/api/sized`, { method: 'POST', body: 'hello' });
    assert.equal((await response.text()).length, 1234);
    assert.deepEqual(await proxy.result(before + 1), { status: 200, bytesIn: 5, bytesOut: 1234 });
  });

  test('reuses its connection to the upstream from request to request', async () => {
    const accepted = upstream.connectionsAccepted();
    for (let index = 0; index < 20; index++) {
      const response = await fetch(`${proxy.base}/api/v1/again`);
      await response.arrayBuffer();
    }
    assert.ok(
      upstream.connectionsAccepted() - accepted <= 1,
      `${upstream.connectionsAccepted() - accepted} new connections`,
    );
  });
});

describe('closing the forwarder', () => {
  test('closes its pooled connections to the upstreams', async () => {
    const upstream = await startEchoUpstream();
    const proxy = await startProxyUnderTest({ upstream: upstream.url });
    try {
      await (await fetch(`${proxy.base}/api/v1/x`)).arrayBuffer();
      assert.equal(upstream.connectionsOpen(), 1);
      proxy.forwarder.close();
      await waitFor(() => upstream.connectionsOpen() === 0, { what: 'the pooled connection to close' });
    } finally {
      await proxy.stop();
      await upstream.close();
    }
  });
});

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '@repopulse/core/testing';
import {
  startProxyUnderTest,
  startUpstream,
  unusedPort,
  type ProxyUnderTest,
  type TestUpstream,
} from './forwarding-test-servers.js';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
}

async function problemOf(response: Response): Promise<Problem> {
  assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  return (await response.json()) as Problem;
}

/** Reads a whole answer through node's client; rejects if the connection breaks before its end. */
async function readAll(response: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('forwarding to an upstream that is down', () => {
  test('answers 502 problem+json at once, naming the service but not its address', async () => {
    const port = await unusedPort();
    const upstream = `http://127.0.0.1:${port}`;
    const proxy = await startProxyUnderTest({
      upstream,
      forwarder: { upstreams: { 'output-gateway': upstream } },
    });
    try {
      const started = Date.now();
      const response = await fetch(`${proxy.base}/api/v1/repositories?owner=acme`);
      assert.equal(response.status, 502);
      const problem = await problemOf(response);
      assert.equal(problem.type, 'urn:repopulse:problem:bad-gateway');
      assert.equal(problem.title, 'Bad gateway');
      assert.equal(problem.status, 502);
      assert.equal(problem.instance, '/api/v1/repositories?owner=acme');
      assert.match(problem.detail, /output-gateway/);
      assert.doesNotMatch(problem.detail, new RegExp(`127\\.0\\.0\\.1|${port}`));
      assert.ok(Date.now() - started < 3_000, `answered after ${Date.now() - started} ms`);
      assert.equal((await proxy.result(1)).status, 502);
    } finally {
      await proxy.stop();
    }
  });

  test('answers 502 with a request body too, having read the body the client still sent', async () => {
    const proxy = await startProxyUnderTest({ upstream: `http://127.0.0.1:${await unusedPort()}` });
    try {
      const response = await fetch(`${proxy.base}/api/v1/events`, {
        method: 'POST',
        body: Buffer.alloc(2 * 1024 * 1024),
      });
      assert.equal(response.status, 502);
      assert.equal((await problemOf(response)).detail, 'The upstream service cannot be reached');
    } finally {
      await proxy.stop();
    }
  });

  test('answers 502 when the TLS handshake with an https upstream fails', async () => {
    // An https:// URL for a server that speaks plain HTTP: the handshake cannot succeed.
    const plain = await startUpstream((_request, response) => response.end('plain'));
    const proxy = await startProxyUnderTest({ upstream: `https://127.0.0.1:${plain.port}` });
    try {
      const response = await fetch(`${proxy.base}/api/v1/x`);
      assert.equal(response.status, 502);
      assert.equal((await problemOf(response)).type, 'urn:repopulse:problem:bad-gateway');
    } finally {
      await proxy.stop();
      await plain.close();
    }
  });
});

describe('forwarding to an upstream that misbehaves', () => {
  const timeoutMs = 400;
  const held: ServerResponse[] = [];
  /** Requests whose connection closed before the upstream had finished its answer. */
  const cutOff: string[] = [];
  let received = 0;
  let upstream: TestUpstream;
  let proxy: ProxyUnderTest;

  before(async () => {
    upstream = await startUpstream((request, response) => {
      request.on('data', (chunk: Buffer) => (received += chunk.length));
      response.on('close', () => {
        if (!response.writableFinished) cutOff.push(request.url!);
      });
      switch (request.url) {
        case '/silent': // never answers
          held.push(response);
          return;
        case '/stalls': // starts answering, then goes quiet
          response.writeHead(200, { 'content-type': 'text/plain' });
          response.write('first part');
          held.push(response);
          return;
        case '/dies-with-length':
          response.writeHead(200, { 'content-length': String(1024 * 1024) });
          response.write(Buffer.alloc(100 * 1024));
          setTimeout(() => response.socket?.destroy(), 20);
          return;
        case '/dies-chunked':
          response.writeHead(200, { 'content-type': 'application/octet-stream' });
          response.write(Buffer.alloc(100 * 1024));
          setTimeout(() => response.socket?.destroy(), 20);
          return;
        case '/endless': {
          // streams until someone ends it
          const ticker = setInterval(() => response.write(Buffer.alloc(16 * 1024)), 10);
          response.on('close', () => clearInterval(ticker));
          return;
        }
        case '/holds-upload': // reads the body but never answers
          request.resume();
          held.push(response);
          return;
        default:
          request.resume();
          response.end('fine');
      }
    });
    proxy = await startProxyUnderTest({
      upstream: upstream.url,
      forwarder: { timeoutMs, upstreams: { 'output-gateway': upstream.url } },
    });
  });
  after(async () => {
    await proxy.stop();
    await upstream.close();
  });

  async function proxyStillServes() {
    const response = await fetch(`${proxy.base}/api/fine`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'fine');
  }

  test('answers 504 problem+json when the upstream gives no answer within the timeout, and ends the upstream request', async () => {
    const started = Date.now();
    const response = await fetch(`${proxy.base}/api/silent`);
    const elapsed = Date.now() - started;
    assert.equal(response.status, 504);
    const problem = await problemOf(response);
    assert.equal(problem.type, 'urn:repopulse:problem:gateway-timeout');
    assert.equal(problem.title, 'Gateway timeout');
    assert.equal(problem.detail, 'The output-gateway service did not answer within 400 ms');
    assert.ok(elapsed >= timeoutMs - 50, `answered after ${elapsed} ms`);
    await waitFor(() => cutOff.includes('/silent'), { what: 'the upstream request to be ended' });
    await proxyStillServes();
  });

  test('breaks the client connection when the upstream goes quiet in the middle of its answer', async () => {
    const request = httpRequest({ host: '127.0.0.1', port: proxy.port, path: '/api/stalls' });
    request.end();
    const [response] = (await once(request, 'response')) as [IncomingMessage];
    assert.equal(response.statusCode, 200);
    await assert.rejects(readAll(response));
    await proxyStillServes();
  });

  test('breaks the client connection when the upstream dies in the middle of its answer', async () => {
    for (const path of ['/api/dies-with-length', '/api/dies-chunked']) {
      const request = httpRequest({ host: '127.0.0.1', port: proxy.port, path });
      request.end();
      const [response] = (await once(request, 'response')) as [IncomingMessage];
      assert.equal(response.statusCode, 200, path);
      await assert.rejects(readAll(response), path);
      await proxyStillServes();
    }
  });

  test('ends the upstream request when the client leaves while waiting for the answer', async () => {
    const forwardsBefore = proxy.results.length;
    const heldBefore = held.length;
    const leaving = new AbortController();
    const answered = fetch(`${proxy.base}/api/holds-upload`, { signal: leaving.signal });
    await waitFor(() => held.length > heldBefore, { what: 'the upstream to receive the request' });
    leaving.abort();
    await assert.rejects(answered);
    await waitFor(() => cutOff.includes('/holds-upload'), {
      what: 'the upstream request to be ended',
    });
    assert.equal((await proxy.result(forwardsBefore + 1)).status, 499);
    await proxyStillServes();
  });

  test('ends the upstream request when the client leaves in the middle of the answer', async () => {
    const request = httpRequest({ host: '127.0.0.1', port: proxy.port, path: '/api/endless' });
    request.on('error', () => {}); // the request is cut on purpose below
    request.end();
    const [response] = (await once(request, 'response')) as [IncomingMessage];
    await once(response, 'data');
    request.destroy();
    await waitFor(() => cutOff.includes('/endless'), { what: 'the upstream request to be ended' });
    await proxyStillServes();
  });

  test('ends the upstream request when the client leaves in the middle of sending its body', async () => {
    const closedBefore = cutOff.filter((url) => url === '/holds-upload').length;
    received = 0;
    const request = httpRequest({
      host: '127.0.0.1',
      port: proxy.port,
      method: 'POST',
      path: '/api/holds-upload',
      headers: { 'content-length': String(4 * 1024 * 1024) },
    });
    request.on('error', () => {}); // the request is cut on purpose below
    request.write(Buffer.alloc(256 * 1024));
    await waitFor(() => received > 0, { what: 'the upstream to receive part of the body' });
    request.destroy();
    await waitFor(() => cutOff.filter((url) => url === '/holds-upload').length > closedBefore, {
      what: 'the upstream request to be ended',
    });
    await proxyStillServes();
  });
});

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '@repopulse/core/testing';
import {
  startProxyUnderTest,
  startUpstream,
  type ProxyUnderTest,
  type TestUpstream,
} from './forwarding-test-servers.js';

const megabyte = 1024 * 1024;
const bodySize = 8 * megabyte;
const chunkSize = 64 * 1024;
/**
 * How far the sender may run ahead of the receiver. Each transfer below advances only while the far
 * end has received all but this much, so it can finish only if the proxy passes bytes on as they come:
 * a proxy that held the body (8 MB) until its end would stall the transfer at 1 MB. It also bounds what
 * the proxy can hold at any moment to this window, whatever the body's size.
 */
const window = 1 * megabyte;

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Polls often: the transfer waits on this between chunks. */
const until = (condition: () => boolean, what: string) =>
  waitFor(() => condition(), { intervalMs: 1, timeoutMs: 10_000, what });

describe('forwarding large bodies, streamed', () => {
  const body = randomBytes(bodySize);
  const bodyHash = sha256(body);
  let uploadReceived = 0;
  let downloadReceived = 0;
  let upstream: TestUpstream;
  let proxy: ProxyUnderTest;

  before(async () => {
    upstream = await startUpstream(async (request, response) => {
      if (request.url === '/upload') {
        uploadReceived = 0;
        const hash = createHash('sha256');
        for await (const chunk of request) {
          uploadReceived += (chunk as Buffer).length;
          hash.update(chunk as Buffer);
        }
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ bytes: uploadReceived, sha256: hash.digest('hex') }));
      } else if (request.url === '/download') {
        // Chunked (no Content-Length), as an answer generated on the fly.
        response.setHeader('content-type', 'application/octet-stream');
        for (let offset = 0; offset < body.length; offset += chunkSize) {
          await until(
            () => offset - downloadReceived <= window,
            `the client to receive ${offset - window} bytes`,
          );
          if (!response.write(body.subarray(offset, offset + chunkSize))) await once(response, 'drain');
        }
        response.end();
      } else if (request.url === '/echo') {
        response.setHeader('content-type', 'application/octet-stream');
        request.pipe(response);
      }
    });
    proxy = await startProxyUnderTest({ upstream: upstream.url });
  });
  after(async () => {
    await proxy.stop();
    await upstream.close();
  });

  test('streams an 8 MB request body to the upstream intact, never more than 1 MB ahead of it', async () => {
    const forwardsBefore = proxy.results.length;
    const request = httpRequest({
      host: '127.0.0.1',
      port: proxy.port,
      method: 'POST',
      path: '/api/upload',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(body.length) },
    });
    const answered = once(request, 'response') as Promise<[IncomingMessage]>;
    for (let offset = 0; offset < body.length; offset += chunkSize) {
      await until(
        () => offset - uploadReceived <= window,
        `the upstream to receive ${offset - window} bytes`,
      );
      if (!request.write(body.subarray(offset, offset + chunkSize))) await once(request, 'drain');
    }
    request.end();
    const [response] = await answered;
    let text = '';
    for await (const chunk of response) text += String(chunk);
    assert.deepEqual(JSON.parse(text), { bytes: bodySize, sha256: bodyHash });
    const result = await proxy.result(forwardsBefore + 1);
    assert.equal(result.bytesIn, bodySize);
  });

  test('streams an 8 MB answer to the client intact, never more than 1 MB ahead of it', async () => {
    const forwardsBefore = proxy.results.length;
    downloadReceived = 0;
    const request = httpRequest({ host: '127.0.0.1', port: proxy.port, path: '/api/download' });
    request.end();
    const [response] = (await once(request, 'response')) as [IncomingMessage];
    assert.equal(response.statusCode, 200);
    const hash = createHash('sha256');
    for await (const chunk of response) {
      downloadReceived += (chunk as Buffer).length;
      hash.update(chunk as Buffer);
    }
    assert.equal(downloadReceived, bodySize);
    assert.equal(hash.digest('hex'), bodyHash);
    const result = await proxy.result(forwardsBefore + 1);
    assert.equal(result.bytesOut, bodySize);
  });

  test('streams 8 MB both ways at once when the upstream answers while it reads', async () => {
    const forwardsBefore = proxy.results.length;
    const response = await fetch(`${proxy.base}/api/echo`, { method: 'PUT', body });
    assert.equal(response.status, 200);
    const echoed = Buffer.from(await response.arrayBuffer());
    assert.equal(echoed.length, bodySize);
    assert.equal(sha256(echoed), bodyHash);
    assert.deepEqual(await proxy.result(forwardsBefore + 1), {
      status: 200,
      bytesIn: bodySize,
      bytesOut: bodySize,
    });
  });
});

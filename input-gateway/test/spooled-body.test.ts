import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { ContentTooLargeError, startHttpServer, type RunningServer } from '@repopulse/core';
import { waitFor } from '@repopulse/core/testing';
import express from 'express';
import { receiveSpooledBody } from '../src/webhooks/spooled-body.js';

async function spoolFiles(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('repopulse-webhook-'));
}

describe('a body received without holding it in memory', () => {
  let server: RunningServer;
  let base: string;
  const received: Array<{ size: number; text: string } | { error: string }> = [];

  before(async () => {
    const app = express();
    app.post('/', async (request, response) => {
      try {
        const body = await receiveSpooledBody(request, { limit: 1024 * 1024, inMemoryBytes: 1024 });
        received.push({ size: body.size, text: (await body.read()).toString('utf8') });
        await body.dispose();
        response.status(204).end();
      } catch (error) {
        received.push({ error: (error as Error).name });
        response.status(error instanceof ContentTooLargeError ? 413 : 400).end();
      }
    });
    server = await startHttpServer(app, 0, '127.0.0.1');
    base = `http://127.0.0.1:${server.port}`;
  });
  after(async () => {
    await server.close();
  });

  test('a small body stays in memory and comes back whole', async () => {
    const response = await fetch(base, { method: 'POST', body: 'hello' });
    assert.equal(response.status, 204);
    assert.deepEqual(received.at(-1), { size: 5, text: 'hello' });
  });

  test('a body larger than the memory share goes to a file while it arrives, read back whole, and the file is removed', async () => {
    const before = await spoolFiles();
    const chunk = 'abcdefghij'.repeat(100); // 1,000 bytes
    const outgoing = httpRequest(base, { method: 'POST', headers: { 'content-type': 'text/plain' } });
    const answered = new Promise<number>((resolve) =>
      outgoing.on('response', (response) => resolve(response.statusCode ?? 0)),
    );
    outgoing.write(chunk);
    outgoing.write(chunk); // past 1,024 bytes: now in a file
    await waitFor(async () => (await spoolFiles()).length > before.length, {
      what: 'the body to be spooled to a file',
    });
    outgoing.end(chunk);
    assert.equal(await answered, 204);
    assert.deepEqual(received.at(-1), { size: 3_000, text: chunk.repeat(3) });
    assert.deepEqual(await spoolFiles(), before);
  });

  test('a declared length over the limit is refused before anything is read; an undeclared one as soon as it passes the limit', async () => {
    const declared = await new Promise<number>((resolve) => {
      const outgoing = httpRequest(base, {
        method: 'POST',
        headers: { 'content-length': String(2 * 1024 * 1024) },
      });
      outgoing.on('response', (response) => resolve(response.statusCode ?? 0));
      outgoing.on('error', () => resolve(-1));
      outgoing.write('x'); // one byte of the two megabytes announced: refused without waiting for more
    });
    assert.equal(declared, 413);
    assert.deepEqual(received.at(-1), { error: 'ContentTooLargeError' });
    const streamed = await new Promise<number>((resolve) => {
      const outgoing = httpRequest(base, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } });
      outgoing.on('response', (response) => resolve(response.statusCode ?? 0));
      outgoing.on('error', () => resolve(-1));
      for (let index = 0; index < 1100; index++) outgoing.write('y'.repeat(1024));
      outgoing.end();
    });
    assert.ok(streamed === 413 || streamed === -1, `answered ${streamed}`);
    await waitFor(async () => (await spoolFiles()).length === 0, {
      what: 'the refused body’s file to be removed',
    });
  });
});

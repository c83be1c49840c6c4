import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadRequestError, ContentTooLargeError } from '@repopulse/core';
import type { Request } from 'express';

/** A request body as received: in memory when small, else in a file of its own until it is read. */
export interface SpooledBody {
  size: number;
  read(): Promise<Buffer>;
  /** Removes the file, if there is one. Safe to call twice. */
  dispose(): Promise<void>;
}

export interface SpoolOptions {
  /** Larger bodies get 413 (a declared Content-Length at once, without reading). */
  limit: number;
  /** What one body may hold in memory while it arrives; the rest goes to a file. */
  inMemoryBytes: number;
}

/**
 * Receives a body without holding more than `inMemoryBytes` of it in memory while it arrives: a webhook's
 * signature can only be checked once the whole body is there, so an anonymous sender's slow 24 MB upload
 * would otherwise sit in the gateway's memory all that time, and a few hundred of them would exhaust it.
 * Beyond the first `inMemoryBytes` the body is written to a file in the system's temporary directory, read
 * back once complete.
 */
export function receiveSpooledBody(request: Request, options: SpoolOptions): Promise<SpooledBody> {
  const declared = Number(request.get('content-length'));
  if (Number.isFinite(declared) && declared > options.limit) {
    return Promise.reject(new ContentTooLargeError(`The body is larger than ${options.limit} bytes`));
  }
  return new Promise<SpooledBody>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let file: { directory: string; path: string; stream: WriteStream } | undefined;
    let settled = false;

    const dispose = async () => {
      const spool = file;
      file = undefined;
      if (!spool) return;
      spool.stream.destroy();
      await rm(spool.directory, { recursive: true, force: true });
    };
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      request.off('data', onData);
      void dispose();
      reject(error);
    };

    async function spill(): Promise<void> {
      const directory = await mkdtemp(join(tmpdir(), 'repopulse-webhook-'));
      const path = join(directory, 'body');
      const stream = createWriteStream(path, { flags: 'wx', mode: 0o600 });
      stream.on('error', fail);
      file = { directory, path, stream };
      for (const chunk of chunks.splice(0)) stream.write(chunk);
    }

    let spilling: Promise<void> | undefined;
    function onData(chunk: Buffer): void {
      size += chunk.length;
      if (size > options.limit) {
        fail(new ContentTooLargeError(`The body is larger than ${options.limit} bytes`));
        return;
      }
      if (!file && !spilling && size <= options.inMemoryBytes) {
        chunks.push(chunk);
        return;
      }
      if (!file) {
        chunks.push(chunk);
        if (!spilling) {
          request.pause();
          spilling = spill().then(() => {
            if (!settled) request.resume();
          }, fail);
        }
        return;
      }
      if (!file.stream.write(chunk)) {
        request.pause();
        file.stream.once('drain', () => request.resume());
      }
    }

    request.on('data', onData);
    request.once('aborted', () => fail(new BadRequestError('The body was not received whole')));
    request.once('error', (error) =>
      fail(new BadRequestError(`The body could not be read: ${error.message}`)),
    );
    request.once('end', () => {
      void (async () => {
        await spilling;
        if (settled) return;
        settled = true;
        const spool = file;
        if (spool)
          await new Promise<void>((done, failed) =>
            spool.stream.end((error?: Error | null) => (error ? failed(error) : done())),
          );
        resolve({
          size,
          read: async () => (spool ? readFile(spool.path) : Buffer.concat(chunks, size)),
          dispose,
        });
      })().catch(fail);
    });
  });
}

import type { Request, Response } from 'express';
import { sendCacheHeaders } from './cache-validation.js';

export type CsvValue = string | number | boolean | null;

export interface CsvAnswer {
  /** What the ETag is made of: it must change whenever the rows would. */
  fingerprint: string;
  header: readonly string[];
  /** The rows, a page at a time; read only while the client keeps up, and not at all for a 304. */
  pages: () => AsyncIterable<ReadonlyArray<ReadonlyArray<CsvValue>>>;
}

/** One field as RFC 4180 writes it: quoted when it holds a quote, comma or line break, quotes doubled. */
export function csvField(value: CsvValue): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Whether the client asked for CSV: `format` decides, else the Accept header (JSON unless it prefers CSV). */
export function wantsCsv(request: Request, format: 'json' | 'csv' | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  return request.accepts(['application/json', 'text/csv']) === 'text/csv';
}

const csvLine = (values: ReadonlyArray<CsvValue>): string => `${values.map(csvField).join(',')}\r\n`;

/**
 * Streams a CSV answer (RFC 4180: CRLF line ends, header first) as `text/csv; charset=utf-8`. Its weak ETag
 * comes from the fingerprint, known before any row is read, so a matching If-None-Match gets 304 without
 * the rows being queried. Each page is written as one chunk, and the next is read only once the socket has
 * drained the last, so a slow client never makes the gateway hold a large result in memory; a client that
 * goes away stops the reading.
 */
export async function sendCsv(request: Request, response: Response, answer: CsvAnswer): Promise<void> {
  if (sendCacheHeaders(request, response, answer.fingerprint)) {
    response.status(304).end();
    return;
  }
  response.status(200).type('text/csv; charset=utf-8');
  let writable = await write(response, csvLine(answer.header));
  for await (const rows of answer.pages()) {
    if (!writable) break;
    writable = await write(response, rows.map(csvLine).join(''));
  }
  response.end();
}

/** Writes a chunk and waits for the socket to drain if it asked to; false when the client has gone. */
async function write(response: Response, chunk: string): Promise<boolean> {
  if (response.destroyed) return false;
  if (response.write(chunk)) return true;
  await new Promise<void>((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
  return !response.destroyed;
}

import type { Request, Response } from 'express';
import { streamCsv, type CsvRow } from '@repopulse/core';
import { sendCacheHeaders } from './cache-validation.js';

export interface CsvAnswer {
  /** What the ETag is made of: it must change whenever the rows would. */
  fingerprint: string;
  header: readonly string[];
  /** The rows, a page at a time; read only while the client keeps up, and not at all for a 304. */
  pages: () => AsyncIterable<ReadonlyArray<CsvRow>>;
}

/** Whether the client asked for CSV: `format` decides, else the Accept header (JSON unless it prefers CSV). */
export function wantsCsv(request: Request, format: 'json' | 'csv' | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  return request.accepts(['application/json', 'text/csv']) === 'text/csv';
}

/**
 * Streams a CSV answer as `text/csv; charset=utf-8`, written by core's one CSV writer (RFC 4180, CRLF line
 * ends, header first, text that a spreadsheet would run as a formula neutralised). Its weak ETag comes from
 * the fingerprint, known before any row is read, so a matching If-None-Match gets 304 without the rows
 * being queried. Each page is one chunk, and the next is read only once the socket has taken the last, so
 * a slow client never makes the gateway hold a large result in memory; a client that goes away stops the
 * reading.
 */
export async function sendCsv(request: Request, response: Response, answer: CsvAnswer): Promise<void> {
  if (sendCacheHeaders(request, response, answer.fingerprint)) {
    response.status(304).end();
    return;
  }
  response.status(200).type('text/csv; charset=utf-8');
  await streamCsv(response, answer.header, answer.pages());
}

import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import { csvOptions, type CsvValue } from './csv-format.js';

export type CsvRow = ReadonlyArray<CsvValue>;

/** Rows as CSV text (`csvOptions`: RFC 4180, CRLF, formulas neutralised); no rows is the empty string. */
export function csvText(rows: ReadonlyArray<CsvRow>): string {
  return stringify(rows as CsvValue[][], csvOptions);
}

/**
 * Writes a CSV document to `destination` (an HTTP response): the header, then each page of rows as one
 * chunk, then ends it. The pages are read through a stream of high-water mark one, so the next page is
 * read only once the destination has taken the last (backpressure): a slow client never makes the caller
 * hold more than a page or two. A page at a time rather than csv-stringify's stream, which would hand the
 * socket one small write per row. A destination that closes early (the client went away) stops the
 * reading — the pages' iterator is returned — and resolves; any other failure rejects.
 */
export async function streamCsv(
  destination: Writable,
  header: CsvRow,
  pages: AsyncIterable<ReadonlyArray<CsvRow>>,
): Promise<void> {
  async function* chunks(): AsyncGenerator<string> {
    yield csvText([header]);
    for await (const rows of pages) if (rows.length > 0) yield csvText(rows);
  }
  try {
    await pipeline(Readable.from(chunks(), { highWaterMark: 1 }), destination);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    throw error;
  }
}

import { csvOptions, type CsvValue } from '../src/csv/csv-format.js';

export type { CsvValue };

/**
 * A CSV document, header first: the same writer and options as the API's own CSV answers (core's
 * `csvOptions`: RFC 4180, CRLF, a text cell that a spreadsheet would run as a formula prefixed with `'`
 * and quoted). csv-stringify's browser build is loaded at the first export, not with the dashboards.
 */
export async function toCsv(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<CsvValue>>,
): Promise<string> {
  const { stringify } = await import('csv-stringify/browser/esm/sync');
  return stringify([header, ...rows] as CsvValue[][], csvOptions);
}

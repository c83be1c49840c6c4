export type CsvValue = string | number | boolean | null | undefined;

/** One field as RFC 4180 writes it (as the output gateway's CSV does): quoted when needed, quotes doubled. */
function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV document, header first, CRLF line ends: the same shape as the API's own CSV answers. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<CsvValue>>): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

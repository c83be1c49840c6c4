import type { Options } from 'csv-stringify/sync';

/** What a CSV cell may hold: null and undefined are empty cells, dates are written in RFC 3339. */
export type CsvValue = string | number | boolean | Date | null | undefined;

/**
 * A text cell a spreadsheet would read as a formula (OWASP, "CSV Injection"): one that starts with `=`, `+`,
 * `-`, `@`, a tab or a carriage return, or with the full-width forms of the first four, which some
 * spreadsheets fold into them. The same set csv-stringify's `escape_formulas` prefixes.
 */
const formulaStart = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * The one way Repo Pulse writes CSV, on the server and in the browser (csv-stringify, its Node build there
 * and its browser build here): RFC 4180 — comma-separated, CRLF after every record, a field quoted when it
 * holds a quote, a comma or a line break, quotes doubled — with OWASP's rule against formula injection:
 * a text cell that starts like a formula gets a leading `'` (`escape_formulas`) and is quoted, so the
 * spreadsheet shows it as text. Only text is touched: a real negative number stays a number (`-3`).
 * Booleans are `true`/`false` and dates RFC 3339, as in the JSON answers, not csv-stringify's `1`/`` and
 * epoch milliseconds.
 */
export const csvOptions: Options = {
  record_delimiter: '\r\n',
  // Giving a record delimiter turns off quoting of the other line breaks; a lone \n or \r must stay quoted.
  quote_record_delimiter: true,
  escape_formulas: true,
  cast: {
    boolean: (value) => String(value),
    date: (value) => value.toISOString(),
    string: (value) => (formulaStart.test(value) ? { value, quoted: true } : value),
  },
};

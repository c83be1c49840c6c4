export { csvOptions } from './csv-format.js';
export type { CsvValue } from './csv-format.js';
export { csvText, streamCsv } from './csv-text.js';
export type { CsvRow } from './csv-text.js';

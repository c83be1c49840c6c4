/**
 * Prepared statements for the hot paths. PostgreSQL parses, analyses and plans an unnamed statement each
 * time it runs; a named one once per connection, and after a few runs it may keep a generic plan. For the
 * set-based writes of a batch (a dozen statements over arrays, two hundred batches a second at a backfill's
 * pace) that is about a sixth of the database's CPU.
 *
 * Only constant texts may be marked (a statement per text and connection stays on the server until the
 * connection closes): mark the module-level SQL of a hot statement, never SQL assembled per call. The
 * names are given per process in marking order, and a connection belongs to one process, so a name always
 * means one text on it (PgBouncer ≥ 1.21 maps them per server connection; the stack sets
 * `max_prepared_statements`).
 */
const names = new Map<string, string>();

/** Marks `text` as a prepared statement wherever it runs; returns it unchanged. */
export function prepared(text: string): string {
  if (!names.has(text)) names.set(text, `repopulse_${names.size + 1}`);
  return text;
}

/** The statement name of a marked text, or undefined for any other. */
export function preparedName(text: string): string | undefined {
  return names.get(text);
}

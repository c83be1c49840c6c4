import { h, type Child } from '@repopulse/web/elements.js';

export interface Column<Row> {
  header: string;
  cell: (row: Row) => Child;
  /** Right-aligned figures. */
  numeric?: boolean;
  /** The cell names the row (`<th scope="row">`), for screen readers reading across. */
  rowHeader?: boolean;
}

/** A captioned table with column headers, in a box that scrolls sideways on small screens. */
export function dataTable<Row>(options: {
  caption: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  /** Names the table for tests and links (`data-table`). */
  name?: string;
}): HTMLElement {
  const classOf = (column: Column<Row>) => (column.numeric ? 'number' : undefined);
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { 'data-table': options.name },
      h('caption', {}, options.caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          options.columns.map((column) => h('th', { scope: 'col', class: classOf(column) }, column.header)),
        ),
      ),
      h(
        'tbody',
        {},
        options.rows.map((row) =>
          h(
            'tr',
            {},
            options.columns.map((column) =>
              column.rowHeader
                ? h('th', { scope: 'row', class: classOf(column) }, column.cell(row))
                : h('td', { class: classOf(column) }, column.cell(row)),
            ),
          ),
        ),
      ),
    ),
  );
}

/** Headline figures: a definition list of label and value (`data-stat` names each for tests). */
export function statList(
  label: string,
  items: ReadonlyArray<{ key: string; label: string; value: string; hint?: string }>,
): HTMLElement {
  return h(
    'dl',
    { class: 'stats', 'aria-label': label },
    items.map((item) =>
      h(
        'div',
        { class: 'stat', 'data-stat': item.key },
        h('dt', {}, item.label),
        h('dd', {}, item.value),
        item.hint ? h('p', { class: 'stat-hint' }, item.hint) : null,
      ),
    ),
  );
}

import { h, type Child } from '@repopulse/web/elements.js';

export interface Column<Row> {
  header: Child;
  cell: (row: Row) => Child;
  className?: string;
}

export interface DataTable<Row> {
  element: HTMLElement;
  /** Shows these rows; a row whose data did not change keeps its elements (and the focus inside them). */
  update(rows: readonly Row[]): void;
}

/**
 * A table with a caption, one row per item keyed by `key`. Updating reuses unchanged rows, so a list
 * that polls does not take the keyboard focus away from the control a person is on.
 */
export function createDataTable<Row>(options: {
  caption: string;
  columns: readonly Column<Row>[];
  key: (row: Row) => string;
  /** What decides whether a row must be drawn again (its JSON by default). */
  signature?: (row: Row) => string;
  rowLabel?: (row: Row) => string;
}): DataTable<Row> {
  const signature = options.signature ?? ((row: Row) => JSON.stringify(row));
  const body = h('tbody');
  const table = h(
    'table',
    {},
    h('caption', {}, options.caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        options.columns.map((column) => h('th', { scope: 'col', class: column.className }, column.header)),
      ),
    ),
    body,
  );
  const drawn = new Map<string, { signature: string; element: HTMLTableRowElement }>();

  function draw(row: Row): HTMLTableRowElement {
    return h(
      'tr',
      { 'data-key': options.key(row), 'aria-label': options.rowLabel?.(row) },
      options.columns.map((column) => h('td', { class: column.className }, column.cell(row))),
    );
  }

  return {
    element: h('div', { class: 'table-scroll' }, table),
    update(rows) {
      const next = new Map<string, { signature: string; element: HTMLTableRowElement }>();
      const elements = rows.map((row) => {
        const key = options.key(row);
        const current = signature(row);
        const previous = drawn.get(key);
        const entry =
          previous && previous.signature === current ? previous : { signature: current, element: draw(row) };
        next.set(key, entry);
        return entry.element;
      });
      drawn.clear();
      for (const [key, entry] of next) drawn.set(key, entry);
      // Moves only rows that are out of place, so focused rows stay put.
      elements.forEach((element, index) => {
        if (body.children[index] !== element) body.insertBefore(element, body.children[index] ?? null);
      });
      while (body.children.length > elements.length) body.lastElementChild?.remove();
    },
  };
}

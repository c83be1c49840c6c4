import type { DeadLetter } from '../../api/admin-api-types.js';
import { createDataTable, type DataTable } from '../../ui/data-table.js';
import { h } from '@repopulse/web/elements.js';
import { formatDateTime, formatNumber } from '../../ui/format.js';

function payloadCell(letter: DeadLetter): HTMLElement {
  const text = typeof letter.payload === 'string' ? letter.payload : JSON.stringify(letter.payload, null, 2);
  return h('details', { class: 'payload' }, h('summary', {}, 'Payload'), h('pre', {}, text));
}

export interface DeadLetterTable extends DataTable<DeadLetter> {
  /** The ids ticked, kept across reloads while their letters are still listed. */
  selected: Set<string>;
  /** Brings the select-all box in line with the selection. */
  showSelection(shown: readonly DeadLetter[]): void;
}

/** Dead letters with a checkbox each (and one for all shown), their error, payload and row actions. */
export function deadLetterTable(options: {
  shown: () => readonly DeadLetter[];
  onSelectionChange: () => void;
  onReplay: (ids: string[]) => void;
  onDelete: (ids: string[]) => void;
}): DeadLetterTable {
  const selected = new Set<string>();
  const selectAll = h('input', { type: 'checkbox', 'aria-label': 'Select all shown dead letters' });

  const checkboxCell = (letter: DeadLetter) => {
    const box = h('input', { type: 'checkbox', 'aria-label': `Select dead letter ${letter.id}` });
    box.checked = selected.has(letter.id);
    box.addEventListener('change', () => {
      if (box.checked) selected.add(letter.id);
      else selected.delete(letter.id);
      options.onSelectionChange();
    });
    return box;
  };

  const actionsCell = (letter: DeadLetter) =>
    h(
      'div',
      { class: 'row-actions' },
      letter.replayable === false
        ? h('span', { class: 'muted small' }, 'Unreadable: cannot replay')
        : h(
            'button',
            {
              type: 'button',
              'aria-label': `Replay dead letter ${letter.id}`,
              onclick: () => options.onReplay([letter.id]),
            },
            'Replay',
          ),
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          'aria-label': `Delete dead letter ${letter.id}`,
          onclick: () => options.onDelete([letter.id]),
        },
        'Delete',
      ),
    );

  const table = createDataTable<DeadLetter>({
    caption: 'Dead letters, newest first',
    key: (letter) => letter.id,
    columns: [
      { header: selectAll, className: 'select', cell: checkboxCell },
      { header: 'Queue', cell: (letter) => h('code', {}, letter.queue) },
      { header: 'Type', cell: (letter) => letter.type ?? '—' },
      { header: 'Attempts', cell: (letter) => formatNumber(letter.attempts), className: 'number' },
      { header: 'Error', cell: (letter) => h('span', { class: 'error-text' }, letter.error ?? '—') },
      {
        header: 'Failed',
        cell: (letter) => h('time', { datetime: letter.failedAt }, formatDateTime(letter.failedAt)),
      },
      { header: 'Payload', cell: payloadCell },
      { header: 'Actions', cell: actionsCell },
    ],
  });

  selectAll.addEventListener('change', () => {
    for (const letter of options.shown()) {
      if (selectAll.checked) selected.add(letter.id);
      else selected.delete(letter.id);
    }
    for (const box of table.element.querySelectorAll<HTMLInputElement>('tbody input[type=checkbox]')) {
      box.checked = selectAll.checked;
    }
    options.onSelectionChange();
  });

  return {
    ...table,
    selected,
    showSelection(shown) {
      selectAll.checked = shown.length > 0 && shown.every((letter) => selected.has(letter.id));
      selectAll.indeterminate = selected.size > 0 && !selectAll.checked;
    },
  };
}

import type { DeadLetter, Page } from '../../api/admin-api-types.js';
import { describeError } from '@repopulse/web/api-error.js';
import type { PageContext, PageDefinition } from '../../page.js';
import { confirmAction } from '../../ui/dialog.js';
import { h, replaceChildren } from '@repopulse/web/elements.js';
import { selectField } from '@repopulse/web/form-fields.js';
import { formatNumber } from '../../ui/format.js';
import { pageHeader, section } from '../../ui/page-header.js';
import { emptyState, errorState, loadingState } from '@repopulse/web/states.js';
import { deadLetterTable } from './dead-letter-table.js';

const workQueues = ['ingest.github-webhook', 'ingest.events', 'crawl.org', 'crawl.repo', 'metrics.compute'];

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

function renderDeadLetters(outlet: HTMLElement, context: PageContext): void {
  const { api, announce } = context;
  const queue = selectField({
    name: 'queue',
    label: 'Queue',
    options: [['', 'All queues'], ...workQueues.map((name) => [name, name] as const)],
    value: context.query.get('queue') ?? '',
  });
  const list = h('div', {}, loadingState('dead letters'));
  const total = h('p', { class: 'muted', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', hidden: true }, 'Show more');
  const replaySelected = h('button', { type: 'button', class: 'primary', disabled: true }, 'Replay selected');
  const deleteSelected = h('button', { type: 'button', class: 'danger', disabled: true }, 'Delete selected');
  let letters: DeadLetter[] = [];
  let cursor: string | null = null;

  const showSelection = () => {
    const count = table.selected.size;
    replaySelected.disabled = deleteSelected.disabled = count === 0;
    replaySelected.textContent = count > 0 ? `Replay selected (${count})` : 'Replay selected';
    deleteSelected.textContent = count > 0 ? `Delete selected (${count})` : 'Delete selected';
    table.showSelection(letters);
  };
  const table = deadLetterTable({
    shown: () => letters,
    onSelectionChange: showSelection,
    onReplay: (ids) => void replay(ids),
    onDelete: (ids) => void remove(ids),
  });

  function show(): void {
    table.update(letters);
    if (letters.length === 0) {
      const why = queue.control.value
        ? 'No dead letters in this queue.'
        : 'No dead letters: every message got through.';
      replaceChildren(list, emptyState(why));
    } else if (!table.element.isConnected) {
      replaceChildren(list, table.element);
    }
    more.hidden = cursor === null;
    showSelection();
  }

  async function load(append = false): Promise<void> {
    if (!append) replaceChildren(list, loadingState('dead letters'));
    try {
      const answer = await api.get<{ deadLetters: DeadLetter[]; total: number } & Page>('/dead-letters', {
        queue: queue.control.value,
        before: append ? cursor : undefined,
      });
      letters = append ? [...letters, ...answer.deadLetters] : answer.deadLetters;
      cursor = answer.nextCursor;
      for (const id of [...table.selected]) {
        if (!letters.some((letter) => letter.id === id)) table.selected.delete(id);
      }
      const where = queue.control.value ? ` in ${queue.control.value}` : '';
      total.textContent = `${formatNumber(answer.total)} dead letter${answer.total === 1 ? '' : 's'}${where}.`;
      show();
    } catch (error) {
      replaceChildren(
        list,
        errorState(error, () => void load()),
      );
    }
  }

  async function replay(ids: string[]): Promise<void> {
    try {
      if (ids.length === 1) await api.post(`/dead-letters/${ids[0]}/replay`);
      else await api.post('/dead-letters/replay', { ids });
      announce(`${plural(ids.length, 'dead letter', 'dead letters')} sent back to be processed again`);
      for (const id of ids) table.selected.delete(id);
      await load();
    } catch (error) {
      announce(`Replay failed: ${describeError(error)}`);
    }
  }

  async function remove(ids: string[]): Promise<void> {
    const sure = await confirmAction({
      title: ids.length === 1 ? 'Delete this dead letter?' : `Delete ${ids.length} dead letters?`,
      message: 'A deleted dead letter is gone for good: it cannot be replayed afterwards.',
      confirmLabel: 'Delete',
      danger: true,
    });
    if (!sure) return;
    try {
      if (ids.length === 1) await api.delete(`/dead-letters/${ids[0]}`);
      else await api.post('/dead-letters/delete', { ids });
      announce(`${plural(ids.length, 'dead letter', 'dead letters')} deleted`);
      for (const id of ids) table.selected.delete(id);
      await load();
    } catch (error) {
      announce(`Delete failed: ${describeError(error)}`);
    }
  }

  replaySelected.addEventListener('click', () => void replay([...table.selected]));
  deleteSelected.addEventListener('click', () => void remove([...table.selected]));
  more.addEventListener('click', () => void load(true));
  queue.control.addEventListener('change', () => {
    table.selected.clear();
    const search = queue.control.value ? `?queue=${encodeURIComponent(queue.control.value)}` : '';
    history.replaceState(null, '', `${location.pathname}${search}`);
    void load();
  });
  const refresh = h('button', { type: 'button', onclick: () => void load() }, 'Refresh');

  replaceChildren(
    outlet,
    pageHeader(
      'Dead letters',
      'Messages that failed every attempt, with their last error. Replay them once the cause is fixed.',
    ),
    section(
      'Dead letters',
      h('div', { class: 'filters' }, queue.element, refresh),
      total,
      h(
        'div',
        { class: 'bulk-actions', role: 'group', 'aria-label': 'With the selected dead letters' },
        replaySelected,
        deleteSelected,
      ),
      list,
      more,
    ),
  );
  void load();
}

export const deadLettersPage: PageDefinition = {
  path: 'dead-letters',
  title: 'Dead letters',
  render: renderDeadLetters,
};

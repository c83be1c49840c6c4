import type { Page, RejectedEvent } from '../../api/admin-api-types.js';
import { describeError } from '@repopulse/web/api-error.js';
import type { PageContext, PageDefinition } from '../../page.js';
import { createDataTable } from '../../ui/data-table.js';
import { confirmAction } from '../../ui/dialog.js';
import { h, replaceChildren } from '@repopulse/web/elements.js';
import { selectField } from '@repopulse/web/form-fields.js';
import { formatDateTime, formatNumber } from '../../ui/format.js';
import { pageHeader, section } from '../../ui/page-header.js';
import { emptyState, errorState, loadingState } from '@repopulse/web/states.js';

const rejectingQueues = ['ingest.events', 'ingest.github-webhook'];

function eventCell(rejected: RejectedEvent): HTMLElement {
  const text = typeof rejected.event === 'string' ? rejected.event : JSON.stringify(rejected.event, null, 2);
  return h('details', { class: 'payload' }, h('summary', {}, 'Event'), h('pre', {}, text));
}

function whereCell(rejected: RejectedEvent): HTMLElement {
  const place = rejected.position === null ? 'whole message' : `event ${rejected.position}`;
  return h(
    'span',
    {},
    h('code', {}, rejected.eventId ?? '—'),
    h('span', { class: 'muted small' }, ` (${place})`),
  );
}

/**
 * Events the engine set aside (their schema or PostgreSQL refused them) while it stored the rest of their
 * batch. Listed and deleted; not replayed: unchanged, they would be refused again.
 */
function renderRejectedEvents(outlet: HTMLElement, context: PageContext): void {
  const { api, announce } = context;
  const queue = selectField({
    name: 'queue',
    label: 'Queue',
    options: [['', 'Both ingest queues'], ...rejectingQueues.map((name) => [name, name] as const)],
    value: context.query.get('queue') ?? '',
  });
  const list = h('div', {}, loadingState('rejected events'));
  const total = h('p', { class: 'muted', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', hidden: true }, 'Show more');
  let rejected: RejectedEvent[] = [];
  let cursor: string | null = null;

  const table = createDataTable<RejectedEvent>({
    caption: 'Rejected events, newest first',
    key: (item) => item.id,
    columns: [
      { header: 'Queue', cell: (item) => h('code', {}, item.queue) },
      { header: 'Source', cell: (item) => item.source ?? '—' },
      { header: 'Event', cell: whereCell },
      { header: 'Type', cell: (item) => item.eventType ?? '—' },
      { header: 'Reason', cell: (item) => h('span', { class: 'error-text' }, item.reason) },
      {
        header: 'Rejected',
        cell: (item) => h('time', { datetime: item.rejectedAt }, formatDateTime(item.rejectedAt)),
      },
      { header: 'As sent', cell: eventCell },
      {
        header: 'Actions',
        cell: (item) =>
          h(
            'button',
            {
              type: 'button',
              class: 'danger',
              'aria-label': `Delete rejected event ${item.id}`,
              onclick: () => void remove(item.id),
            },
            'Delete',
          ),
      },
    ],
  });

  function show(): void {
    table.update(rejected);
    if (rejected.length === 0)
      replaceChildren(list, emptyState('No rejected events: every event was stored.'));
    else if (!table.element.isConnected) replaceChildren(list, table.element);
    more.hidden = cursor === null;
  }

  async function load(append = false): Promise<void> {
    if (!append) replaceChildren(list, loadingState('rejected events'));
    try {
      const answer = await api.get<{ rejectedEvents: RejectedEvent[]; total: number } & Page>(
        '/rejected-events',
        { queue: queue.control.value, before: append ? cursor : undefined },
      );
      rejected = append ? [...rejected, ...answer.rejectedEvents] : answer.rejectedEvents;
      cursor = answer.nextCursor;
      total.textContent = `${formatNumber(answer.total)} rejected event${answer.total === 1 ? '' : 's'}.`;
      show();
    } catch (error) {
      replaceChildren(
        list,
        errorState(error, () => void load()),
      );
    }
  }

  async function remove(id: string): Promise<void> {
    const sure = await confirmAction({
      title: 'Delete this rejected event?',
      message: 'Its record is gone for good. The supplier can still send the event again, corrected.',
      confirmLabel: 'Delete',
      danger: true,
    });
    if (!sure) return;
    try {
      await api.delete(`/rejected-events/${id}`);
      announce('Rejected event deleted');
      await load();
    } catch (error) {
      announce(`Delete failed: ${describeError(error)}`);
    }
  }

  more.addEventListener('click', () => void load(true));
  queue.control.addEventListener('change', () => {
    const search = queue.control.value ? `?queue=${encodeURIComponent(queue.control.value)}` : '';
    history.replaceState(null, '', `${location.pathname}${search}`);
    void load();
  });
  const refresh = h('button', { type: 'button', onclick: () => void load() }, 'Refresh');

  replaceChildren(
    outlet,
    pageHeader(
      'Rejected events',
      'Events the engine could not store, each with the reason, while the rest of their batch was stored. ' +
        'Ask the supplier to send them again, corrected; unchanged they would be refused again.',
    ),
    section('Rejected events', h('div', { class: 'filters' }, queue.element, refresh), total, list, more),
  );
  void load();
}

export const rejectedEventsPage: PageDefinition = {
  path: 'rejected-events',
  title: 'Rejected events',
  render: renderRejectedEvents,
};

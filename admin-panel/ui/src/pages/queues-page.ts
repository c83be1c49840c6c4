import type { QueueStats } from '../api/admin-api-types.js';
import type { PageContext, PageDefinition } from '../page.js';
import { createDataTable } from '../ui/data-table.js';
import { h, replaceChildren } from '@repopulse/web/elements.js';
import { formatNumber, formatRate } from '../ui/format.js';
import { pageHeader, section } from '../ui/page-header.js';
import { startPolling } from '../ui/poller.js';
import { emptyState, errorState, loadingState } from '@repopulse/web/states.js';

const pollIntervalMs = 5000;

function renderQueues(outlet: HTMLElement, context: PageContext): void {
  const list = h('div', {}, loadingState('queues'));
  const note = h('p', { class: 'muted small' });
  const table = createDataTable<QueueStats>({
    caption: 'Work queues',
    key: (queue) => queue.name,
    columns: [
      { header: 'Queue', cell: (queue) => h('code', {}, queue.name) },
      { header: 'Depth', cell: (queue) => formatNumber(queue.depth), className: 'number' },
      { header: 'Consumers', cell: (queue) => formatNumber(queue.consumers), className: 'number' },
      { header: 'Published', cell: (queue) => formatRate(queue.publishRate), className: 'number' },
      { header: 'Delivered', cell: (queue) => formatRate(queue.deliverRate), className: 'number' },
      { header: 'Acknowledged', cell: (queue) => formatRate(queue.ackRate), className: 'number' },
      {
        header: 'Dead letters',
        className: 'number',
        cell: (queue) => {
          const count = (queue.deadLetters ?? 0) + (queue.deadDepth ?? 0);
          return count > 0
            ? h(
                'a',
                { href: `/admin/dead-letters?queue=${encodeURIComponent(queue.name)}` },
                `${formatNumber(count)} — review`,
              )
            : '0';
        },
      },
    ],
  });

  async function refresh(): Promise<void> {
    try {
      const answer = await context.api.get<{ statsFrom: 'management' | 'amqp'; queues: QueueStats[] }>(
        '/queues',
      );
      table.update(answer.queues);
      if (answer.queues.length === 0) replaceChildren(list, emptyState('The broker reports no queues.'));
      else if (!table.element.isConnected) replaceChildren(list, table.element);
      note.textContent =
        answer.statsFrom === 'management'
          ? `Rates per second from RabbitMQ’s management API. Updated ${new Date().toLocaleTimeString()}.`
          : `Only AMQP answered: depth and consumers are shown, rates need RabbitMQ’s management API. Updated ${new Date().toLocaleTimeString()}.`;
    } catch (error) {
      replaceChildren(list, errorState(error));
    }
  }

  replaceChildren(
    outlet,
    pageHeader('Queues', 'The RabbitMQ work queues: what waits, who consumes it, and how fast it moves.'),
    section('Work queues', note, list),
  );
  context.onLeave(startPolling(refresh, pollIntervalMs));
}

export const queuesPage: PageDefinition = { path: 'queues', title: 'Queues', render: renderQueues };

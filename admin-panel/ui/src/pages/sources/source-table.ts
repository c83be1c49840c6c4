import type { CrawlRun, Source, WebhookSecret } from '../../api/admin-api-types.js';
import { describeError } from '@repopulse/web/api-error.js';
import type { PageContext } from '../../page.js';
import { createDataTable, type DataTable } from '../../ui/data-table.js';
import { confirmAction } from '../../ui/dialog.js';
import { h } from '@repopulse/web/elements.js';
import { formatDateTime } from '../../ui/format.js';
import { describeSchedule } from './schedule-field.js';
import { openSourceEditDialog } from './source-edit-dialog.js';
import { sourceKindLabels, takesWebhooks } from './source-kinds.js';
import { openWebhookSecretDialog } from './webhook-secret-dialog.js';

function scheduleCell(source: Source): HTMLElement {
  if (!source.schedule) return h('span', { class: 'muted' }, 'Not scheduled');
  const words = describeSchedule(source.schedule);
  return h(
    'div',
    { class: 'schedule' },
    h('code', {}, source.schedule),
    words ? h('div', {}, words) : null,
    source.nextRuns.length > 0
      ? h(
          'details',
          {},
          h('summary', {}, `Next runs (${source.timezone})`),
          h(
            'ol',
            { class: 'next-runs' },
            source.nextRuns.map((run) =>
              h('li', {}, h('time', { datetime: run }, formatDateTime(run, source.timezone))),
            ),
          ),
        )
      : h('div', { class: 'muted' }, source.enabled ? '' : 'Disabled: no runs'),
  );
}

/**
 * The tracked sources with what can be done to each: enable or disable, a webhook secret (GitHub
 * sources), crawl now, edit the schedule, delete. `changed` reloads the list after a change.
 */
export function sourceTable(context: PageContext, changed: () => void): DataTable<Source> {
  const { api, announce } = context;
  const failed = (error: unknown) => announce(`Failed: ${describeError(error)}`);
  const act = (work: () => Promise<unknown>, done: string) =>
    work().then(() => {
      announce(done);
      changed();
    }, failed);

  const enabledCell = (source: Source) => {
    const box = h('input', { type: 'checkbox', 'aria-label': `Enabled: ${source.target}` });
    box.checked = source.enabled;
    box.addEventListener('change', () =>
      act(
        () => api.patch(`/sources/${source.id}`, { enabled: box.checked }),
        `${source.target} ${box.checked ? 'enabled' : 'disabled'}`,
      ),
    );
    return box;
  };

  const generateSecret = (source: Source) =>
    api.post<WebhookSecret>(`/sources/${source.id}/webhook-secret`).then((secret) => {
      openWebhookSecretDialog({ source, secret, announce });
      changed();
    }, failed);

  const webhookCell = (source: Source) =>
    takesWebhooks(source.kind)
      ? [
          h('div', { class: 'small' }, source.webhookSecretSet ? 'Secret set' : 'No secret'),
          h(
            'button',
            { type: 'button', class: 'small', onclick: () => generateSecret(source) },
            source.webhookSecretSet ? 'New secret' : 'Generate secret',
          ),
        ]
      : h('span', { class: 'muted small' }, 'GitHub only');

  const crawlNow = (source: Source) =>
    api.post<CrawlRun>('/crawl-runs', { sourceId: source.id }).then(
      () => {
        announce(`Crawl of ${source.target} queued`);
        context.navigate('crawl-runs');
      },
      (error: unknown) => announce(`Could not start the crawl: ${describeError(error)}`),
    );

  const remove = async (source: Source) => {
    const sure = await confirmAction({
      title: 'Delete this source?',
      message: ['Stop tracking ', h('code', {}, source.target), '? Its crawled data stays.'],
      confirmLabel: 'Delete',
      danger: true,
    });
    if (sure) void act(() => api.delete(`/sources/${source.id}`), `${source.target} deleted`);
  };

  const actionsCell = (source: Source) =>
    h(
      'div',
      { class: 'row-actions' },
      h(
        'button',
        { type: 'button', 'aria-label': `Crawl ${source.target} now`, onclick: () => crawlNow(source) },
        'Crawl now',
      ),
      h(
        'button',
        {
          type: 'button',
          'aria-label': `Edit ${source.target}`,
          onclick: () =>
            openSourceEditDialog({
              api,
              source,
              onSaved: (saved) => {
                announce(`${saved.target} saved`);
                changed();
              },
            }),
        },
        'Edit',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          'aria-label': `Delete ${source.target}`,
          onclick: () => remove(source),
        },
        'Delete',
      ),
    );

  return createDataTable<Source>({
    caption: 'Tracked sources',
    key: (source) => source.id,
    columns: [
      {
        header: 'Source',
        cell: (source) => [
          h('div', { class: 'muted small' }, sourceKindLabels[source.kind]),
          h('code', { class: 'target' }, source.target),
        ],
      },
      { header: 'Schedule', cell: scheduleCell },
      { header: 'Enabled', cell: enabledCell },
      { header: 'Webhook', cell: webhookCell },
      { header: 'Actions', cell: actionsCell },
    ],
  });
}

import type { CrawlRun, CrawlRunStatus, Page, Source } from '../api/admin-api-types.js';
import { describeError } from '@repopulse/web/api-error.js';
import type { PageContext, PageDefinition } from '../page.js';
import { createDataTable } from '../ui/data-table.js';
import { h, replaceChildren } from '@repopulse/web/elements.js';
import { createForm } from '@repopulse/web/form.js';
import { selectField } from '@repopulse/web/form-fields.js';
import { formatDateTime, formatDuration, formatNumber } from '../ui/format.js';
import { pageHeader, section } from '../ui/page-header.js';
import { startPolling } from '../ui/poller.js';
import { emptyState, errorState, loadingState } from '@repopulse/web/states.js';
import { statusBadge } from '../ui/status-badge.js';
import { sourceKindLabels } from './sources/source-kinds.js';

const pollIntervalMs = 2000;
const pageSize = 50;

function progressCell(run: CrawlRun): HTMLElement {
  const label = `Progress of the crawl of ${run.target ?? 'a repository'}`;
  const bar =
    run.total === null
      ? h('progress', { 'aria-label': label })
      : h('progress', { 'aria-label': label, max: Math.max(run.total, 1), value: run.done + run.failed });
  const text =
    run.total === null
      ? 'listing repositories…'
      : `${run.done}/${run.total} repositories${run.failed > 0 ? `, ${run.failed} failed` : ''}`;
  return h('div', { class: 'progress' }, bar, h('span', { class: 'progress-text small' }, text));
}

function errorsCell(run: CrawlRun): HTMLElement | string {
  if (!run.error && run.errors.length === 0) return '—';
  return h(
    'div',
    { class: 'errors' },
    run.error ? h('p', { class: 'error-text' }, run.error) : null,
    run.errors.length > 0
      ? h(
          'details',
          {},
          h('summary', {}, `${run.errors.length} repositor${run.errors.length === 1 ? 'y' : 'ies'} failed`),
          h(
            'ul',
            {},
            run.errors.map((failure) =>
              h(
                'li',
                {},
                h('code', {}, failure.repository),
                ': ',
                failure.error,
                ' ',
                h('time', { class: 'muted small', datetime: failure.at }, formatDateTime(failure.at)),
              ),
            ),
          ),
        )
      : null,
  );
}

function triggerForm(context: PageContext, sources: Source[], onStarted: () => void): HTMLElement {
  if (sources.length === 0) {
    return emptyState('There are no sources to crawl yet. Add one on the Sources page.');
  }
  const source = selectField({
    name: 'sourceId',
    label: 'Source',
    options: sources.map(
      (candidate) => [candidate.id, `${sourceKindLabels[candidate.kind]}: ${candidate.target}`] as const,
    ),
  });
  return createForm({
    fields: [source],
    submitLabel: 'Start crawl',
    label: 'Start a crawl',
    className: 'form form-inline',
    validate: () => (source.control.value ? [] : [{ path: '/sourceId', message: 'Choose a source' }]),
    async submit() {
      const run = await context.api.post<CrawlRun>('/crawl-runs', { sourceId: source.control.value });
      context.announce(`Crawl of ${run.target ?? 'the source'} queued`);
      onStarted();
    },
  }).element;
}

function renderCrawlRuns(outlet: HTMLElement, context: PageContext): void {
  const { api, announce } = context;
  const trigger = h('div', {}, loadingState('sources'));
  const list = h('div', {}, loadingState('crawl runs'));
  const more = h('button', { type: 'button', hidden: true }, 'Show older runs');
  const updated = h('p', { class: 'muted small' });
  const status = selectField({
    name: 'status',
    label: 'Status',
    options: [
      ['', 'Any'],
      ['queued', 'Queued'],
      ['running', 'Running'],
      ['done', 'Done'],
      ['failed', 'Failed'],
    ],
    value: context.query.get('status') ?? '',
  });
  let limit = pageSize;
  const seen = new Map<string, CrawlRunStatus>();

  const table = createDataTable<CrawlRun>({
    caption: 'Crawl runs, newest first',
    key: (run) => run.id,
    columns: [
      {
        header: 'Requested',
        cell: (run) => h('time', { datetime: run.createdAt }, formatDateTime(run.createdAt)),
      },
      {
        header: 'Source',
        cell: (run) => [
          h('div', { class: 'muted small' }, run.kind ? sourceKindLabels[run.kind] : ''),
          h('code', { class: 'target' }, run.target ?? '—'),
        ],
      },
      {
        header: 'Trigger',
        cell: (run) => [
          run.trigger,
          run.requestedBy ? h('div', { class: 'muted small' }, run.requestedBy) : null,
        ],
      },
      { header: 'Status', cell: (run) => statusBadge(run.status) },
      { header: 'Progress', cell: progressCell },
      { header: 'API cost', cell: (run) => formatNumber(run.apiCost), className: 'number' },
      { header: 'Duration', cell: (run) => formatDuration(run.durationMs), className: 'number' },
      { header: 'Errors', cell: errorsCell },
    ],
  });

  async function refresh(): Promise<void> {
    try {
      const answer = await api.get<{ crawlRuns: CrawlRun[] } & Page>('/crawl-runs', {
        status: status.control.value,
        limit,
      });
      for (const run of answer.crawlRuns) {
        const before = seen.get(run.id);
        if (before && before !== run.status && (run.status === 'done' || run.status === 'failed')) {
          announce(`Crawl of ${run.target ?? 'a source'} ${run.status}`);
        }
        seen.set(run.id, run.status);
      }
      table.update(answer.crawlRuns);
      if (answer.crawlRuns.length === 0) {
        replaceChildren(
          list,
          emptyState(
            status.control.value ? 'No runs with this status.' : 'No crawl runs yet: start one above.',
          ),
        );
      } else if (!table.element.isConnected) {
        replaceChildren(list, table.element);
      }
      more.hidden = answer.nextCursor === null || limit >= 500;
      updated.textContent = `Updated ${new Date().toLocaleTimeString()}; refreshes every ${pollIntervalMs / 1000} s.`;
    } catch (error) {
      replaceChildren(list, errorState(error));
      updated.textContent = `Refresh failed: ${describeError(error)}. Retrying.`;
    }
  }

  more.addEventListener('click', () => {
    limit = Math.min(limit + pageSize, 500);
    void refresh();
  });
  status.control.addEventListener('change', () => {
    replaceChildren(list, loadingState('crawl runs'));
    void refresh();
  });

  const loadSources = () =>
    api.get<{ sources: Source[] }>('/sources').then(
      ({ sources }) =>
        replaceChildren(
          trigger,
          triggerForm(context, sources, () => void refresh()),
        ),
      (error: unknown) => replaceChildren(trigger, errorState(error, loadSources)),
    );

  replaceChildren(
    outlet,
    pageHeader('Crawl runs', 'Crawls started by admins, schedules and crawl requests, with their progress.'),
    section('Start a crawl', trigger),
    section('Runs', h('div', { class: 'filters' }, status.element), updated, list, more),
  );
  void loadSources();
  context.onLeave(startPolling(refresh, pollIntervalMs));
}

export const crawlRunsPage: PageDefinition = {
  path: 'crawl-runs',
  title: 'Crawl runs',
  render: renderCrawlRuns,
};

import type { UpstreamHealth } from '../api/admin-api-types.js';
import type { PageContext, PageDefinition } from '../page.js';
import { createDataTable } from '../ui/data-table.js';
import { h, replaceChildren } from '@repopulse/web/elements.js';
import { formatDateTime, formatNumber, formatRelative } from '../ui/format.js';
import { pageHeader, section } from '../ui/page-header.js';
import { startPolling } from '../ui/poller.js';
import { emptyState, errorState, loadingState } from '@repopulse/web/states.js';
import { statusBadge } from '../ui/status-badge.js';
import { sourceKindLabels } from './sources/source-kinds.js';

type SourceHealth = UpstreamHealth['sources'][number];
type TokenHealth = UpstreamHealth['tokens'][number];

const pollIntervalMs = 10_000;

function when(iso: string | null): HTMLElement | string {
  if (!iso) return '—';
  return h('time', { datetime: iso, title: formatDateTime(iso) }, formatRelative(iso));
}

function quotaCell(token: TokenHealth): HTMLElement | string {
  if (token.remaining === null) return '—';
  const text = `${formatNumber(token.remaining)} of ${formatNumber(token.limit)}`;
  if (!token.limit) return text;
  return h(
    'div',
    { class: 'progress' },
    h('meter', {
      min: 0,
      max: token.limit,
      low: token.limit * 0.1,
      high: token.limit * 0.5,
      optimum: token.limit,
      value: token.remaining,
      'aria-label': `Quota left on ${token.label} (${token.resource})`,
    }),
    h('span', { class: 'small' }, text),
  );
}

function renderUpstreamHealth(outlet: HTMLElement, context: PageContext): void {
  const sourcesList = h('div', {}, loadingState('source health'));
  const tokensList = h('div', {}, loadingState('GitHub tokens'));
  const sources = createDataTable<SourceHealth>({
    caption: 'Crawls per source',
    key: (source) => source.sourceId,
    columns: [
      {
        header: 'Source',
        cell: (source) => [
          h('div', { class: 'muted small' }, sourceKindLabels[source.kind]),
          h('code', { class: 'target' }, source.target),
        ],
      },
      { header: 'Enabled', cell: (source) => (source.enabled ? 'yes' : 'no') },
      {
        header: 'Last run',
        cell: (source) => (source.lastRunStatus ? statusBadge(source.lastRunStatus) : 'never'),
      },
      { header: 'Last successful crawl', cell: (source) => when(source.lastSuccessAt) },
      {
        header: 'Last error',
        cell: (source) =>
          source.lastError
            ? h(
                'div',
                {},
                h('span', { class: 'error-text' }, source.lastError),
                h('div', { class: 'muted small' }, when(source.lastErrorAt)),
              )
            : '—',
      },
    ],
  });
  const tokens = createDataTable<TokenHealth>({
    caption: 'GitHub tokens, as GitHub last reported them',
    key: (token) => `${token.label}/${token.resource}`,
    columns: [
      { header: 'Token', cell: (token) => h('code', {}, token.label) },
      { header: 'Resource', cell: (token) => token.resource },
      { header: 'Remaining quota', cell: quotaCell },
      { header: 'Resets', cell: (token) => when(token.resetAt) },
      {
        header: 'Rejected by GitHub',
        cell: (token) =>
          token.rejectedAt
            ? h(
                'div',
                {},
                statusBadge('rejected'),
                ' ',
                token.rejectedReason ?? '',
                h('div', { class: 'muted small' }, when(token.rejectedAt)),
              )
            : 'no',
      },
      { header: 'Reported', cell: (token) => when(token.updatedAt) },
    ],
  });

  async function refresh(): Promise<void> {
    try {
      const health = await context.api.get<UpstreamHealth>('/upstream-health');
      sources.update(health.sources);
      tokens.update(health.tokens);
      if (health.sources.length === 0)
        replaceChildren(sourcesList, emptyState('No sources are tracked yet.'));
      else if (!sources.element.isConnected) replaceChildren(sourcesList, sources.element);
      if (health.tokens.length === 0) {
        replaceChildren(
          tokensList,
          emptyState('No token has reported yet: the engine crawls anonymously or has not called GitHub.'),
        );
      } else if (!tokens.element.isConnected) replaceChildren(tokensList, tokens.element);
    } catch (error) {
      replaceChildren(sourcesList, errorState(error));
      tokensList.replaceChildren();
    }
  }

  replaceChildren(
    outlet,
    pageHeader('Upstream health', 'How crawls of each source fare, and how much GitHub quota is left.'),
    section('Sources', sourcesList),
    section('GitHub tokens', tokensList),
  );
  context.onLeave(startPolling(refresh, pollIntervalMs));
}

export const upstreamHealthPage: PageDefinition = {
  path: 'upstream-health',
  title: 'Upstream health',
  render: renderUpstreamHealth,
};

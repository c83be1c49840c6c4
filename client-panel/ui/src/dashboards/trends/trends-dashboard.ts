import type { Trends } from '../../api/read-api-types.js';
import { createChartPanel } from '../../charts/chart-panel.js';
import { toCsv } from '@repopulse/web/csv.js';
import { h } from '@repopulse/web/elements.js';
import { filterForm } from '../../ui/filter-form.js';
import { formatDay, formatNumber, formatScore, formatShare } from '../../ui/format.js';
import { organizationLink, repositoryLink } from '../../ui/links.js';
import { pageHeader, panel } from '../../ui/page-header.js';
import { dataTable } from '../../ui/tables.js';
import type { Dashboard, DashboardContext } from '../dashboard.js';
import { showWhenLoaded } from '../show-when-loaded.js';

const windows: ReadonlyArray<readonly [string, string]> = [
  ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days'],
  ['90d', 'Last 90 days'],
  ['365d', 'Last 365 days'],
];
const defaultWindow = '30d';

interface TrendFilters {
  window: string;
  language: string;
  owner: string;
}

function filtersOf(query: URLSearchParams): TrendFilters {
  const window = query.get('window') ?? defaultWindow;
  return {
    window: windows.some(([value]) => value === window) ? window : defaultWindow,
    language: query.get('language')?.trim() ?? '',
    owner: query.get('owner')?.trim() ?? '',
  };
}

/** `/trends?window=&language=&owner=`: fastest-growing and most active repositories, language shares. */
export const trendsDashboard: Dashboard = {
  render(main, context) {
    let filters = filtersOf(context.route.query);
    context.setTitle('Trends');
    const body = h('div', { class: 'dashboard-body' });
    // Languages offered as suggestions: those of the last unfiltered answer (a filtered one has only its own).
    let knownLanguages: string[] = [];
    const load = () =>
      showWhenLoaded(body, context, {
        what: 'the trends',
        load: () =>
          context.api.get<Trends>('/trends', {
            window: filters.window === defaultWindow ? undefined : filters.window,
            language: filters.language,
            owner: filters.owner,
          }),
        empty: (trends) =>
          trends.fastestGrowing.length + trends.mostActive.length + trends.languages.length === 0
            ? 'No repository matches these filters. Try another language or organisation, or a longer window.'
            : undefined,
        draw: (target, trends) => {
          if (!filters.language) knownLanguages = trends.languages.map((language) => language.language);
          return drawTrends(target, trends, context);
        },
      });
    const form = () =>
      filterForm({
        label: 'Trend filters',
        fields: [
          { kind: 'select', name: 'window', label: 'Window', value: filters.window, options: windows },
          {
            kind: 'text',
            name: 'language',
            label: 'Language',
            value: filters.language,
            placeholder: 'any',
            suggestions: knownLanguages,
          },
          { kind: 'text', name: 'owner', label: 'Organisation', value: filters.owner, placeholder: 'any' },
        ],
        onApply: (values) => {
          filters = filtersOf(new URLSearchParams(values));
          context.record(
            '/trends',
            {
              window: filters.window === defaultWindow ? undefined : filters.window,
              language: filters.language,
              owner: filters.owner,
            },
            { push: true },
          );
          load();
        },
      });
    main.append(
      pageHeader(
        'Trends',
        'The fastest-growing and most active repositories, and the languages they are written in.',
      ),
      form(),
      body,
    );
    load();
  },
};

function drawTrends(body: HTMLElement, trends: Trends, context: DashboardContext) {
  const stem = ['trends', trends.window, trends.filters.language ?? '', trends.filters.owner ?? ''].filter(
    Boolean,
  );
  const announce = context.announce;
  const growing = trends.fastestGrowing;
  const active = trends.mostActive;
  const name = (repository: { owner: string; name: string }) => `${repository.owner}/${repository.name}`;
  const repositoryColumns = [
    {
      header: 'Repository',
      cell: (row: (typeof growing)[number] | (typeof active)[number]) => repositoryLink(row.owner, row.name),
      rowHeader: true,
    },
    { header: 'Organisation', cell: (row: { owner: string }) => organizationLink(row.owner) },
    { header: 'Language', cell: (row: { primaryLanguage: string | null }) => row.primaryLanguage ?? '—' },
  ];
  const growingChart = createChartPanel({
    key: 'fastest-growing',
    title: 'Fastest-growing repositories',
    description: `Stars gained from ${formatDay(trends.from)} to ${formatDay(trends.to)}.`,
    type: 'bar',
    horizontal: true,
    labels: growing.map(name),
    labelHeader: 'Repository',
    series: [{ label: 'Stars gained', data: growing.map((row) => row.starsGained) }],
    csv: () =>
      toCsv(
        ['owner', 'name', 'primaryLanguage', 'starsGained', 'stars', 'healthScore'],
        growing.map((row) => [
          row.owner,
          row.name,
          row.primaryLanguage,
          row.starsGained,
          row.stars,
          row.healthScore,
        ]),
      ),
    fileStem: stem,
    emptyMessage: 'No repository gained stars in this window.',
    announce,
  });
  const activeChart = createChartPanel({
    key: 'most-active',
    title: 'Most active repositories',
    description: `Commits from ${formatDay(trends.from)} to ${formatDay(trends.to)}.`,
    type: 'bar',
    horizontal: true,
    labels: active.map(name),
    labelHeader: 'Repository',
    series: [{ label: 'Commits', data: active.map((row) => row.commits) }],
    csv: () =>
      toCsv(
        ['owner', 'name', 'primaryLanguage', 'commits', 'stars', 'healthScore'],
        active.map((row) => [
          row.owner,
          row.name,
          row.primaryLanguage,
          row.commits,
          row.stars,
          row.healthScore,
        ]),
      ),
    fileStem: stem,
    emptyMessage: 'No repository has commits in this window.',
    announce,
  });
  const languageChart = createChartPanel({
    key: 'language-shares',
    title: 'Language shares',
    description: 'Share of all bytes of code of the repositories considered.',
    type: 'doughnut',
    labels: trends.languages.map((language) => language.language),
    labelHeader: 'Language',
    series: [{ label: 'Bytes', data: trends.languages.map((language) => language.bytes) }],
    csv: () =>
      toCsv(
        ['language', 'repositories', 'bytes', 'share'],
        trends.languages.map((language) => [
          language.language,
          language.repositories,
          language.bytes,
          language.share,
        ]),
      ),
    fileStem: stem,
    emptyMessage: 'No language is known for these repositories.',
    announce,
  });

  body.append(
    h(
      'div',
      { class: 'chart-grid' },
      growingChart.element,
      panel(
        { key: 'fastest-growing-table', title: 'Fastest-growing, in numbers' },
        dataTable({
          name: 'fastest-growing-table',
          caption: 'Repositories by stars gained in the window',
          rows: growing,
          columns: [
            ...repositoryColumns,
            { header: 'Stars gained', cell: (row) => formatNumber(row.starsGained), numeric: true },
            { header: 'Stars', cell: (row) => formatNumber(row.stars), numeric: true },
            { header: 'Health', cell: (row) => formatScore(row.healthScore), numeric: true },
          ],
        }),
      ),
    ),
    h(
      'div',
      { class: 'chart-grid' },
      activeChart.element,
      panel(
        { key: 'most-active-table', title: 'Most active, in numbers' },
        dataTable({
          name: 'most-active-table',
          caption: 'Repositories by commits in the window',
          rows: active,
          columns: [
            ...repositoryColumns,
            { header: 'Commits', cell: (row) => formatNumber(row.commits), numeric: true },
            { header: 'Stars', cell: (row) => formatNumber(row.stars), numeric: true },
            { header: 'Health', cell: (row) => formatScore(row.healthScore), numeric: true },
          ],
        }),
      ),
    ),
    h(
      'div',
      { class: 'chart-grid' },
      languageChart.element,
      panel(
        { key: 'language-shares-table', title: 'Languages, in numbers' },
        dataTable({
          name: 'language-shares-table',
          caption: 'Languages of the repositories considered',
          rows: trends.languages,
          columns: [
            { header: 'Language', cell: (row) => row.language, rowHeader: true },
            { header: 'Repositories', cell: (row) => formatNumber(row.repositories), numeric: true },
            { header: 'Bytes', cell: (row) => formatNumber(row.bytes), numeric: true },
            { header: 'Share', cell: (row) => formatShare(row.share), numeric: true },
          ],
        }),
      ),
    ),
  );
  return [growingChart, activeChart, languageChart];
}

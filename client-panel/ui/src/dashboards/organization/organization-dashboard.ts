import type { OrganizationPortfolio } from '../../api/read-api-types.js';
import { createChartPanel } from '../../charts/chart-panel.js';
import { toCsv } from '@repopulse/web/csv.js';
import { exportButtons } from '../../export/export-buttons.js';
import { h } from '@repopulse/web/elements.js';
import { formatDay, formatNumber, formatScore, formatShare } from '../../ui/format.js';
import { organizationPath, repositoryLink } from '../../ui/links.js';
import { pageHeader, panel } from '../../ui/page-header.js';
import { dataTable, statList } from '../../ui/tables.js';
import { viewControls } from '../../ui/view-controls.js';
import type { Dashboard, DashboardContext } from '../dashboard.js';
import { showWhenLoaded } from '../show-when-loaded.js';
import {
  intervalOptions,
  intervalWord,
  rangeOptions,
  timeWindowOf,
  timeWindowQuery,
  timeWindowUrlQuery,
  type TimeWindow,
} from '../time-window.js';

/** `/organizations/<owner>?range=&interval=`: one owner's portfolio, from GET /v1/organizations/{owner}. */
export const organizationDashboard: Dashboard = {
  render(main, context) {
    const owner = context.route.segments[1]!;
    let window = timeWindowOf(context.route.query);
    context.setTitle(`${owner} — organisation portfolio`);
    const body = h('div', { class: 'dashboard-body' });
    const load = () =>
      showWhenLoaded(body, context, {
        what: `the portfolio of ${owner}`,
        load: () =>
          context.api.get<OrganizationPortfolio>(
            `/organizations/${encodeURIComponent(owner)}`,
            timeWindowQuery(window),
          ),
        draw: (target, portfolio) => drawPortfolio(target, portfolio, window, context),
      });
    main.append(
      pageHeader(owner, 'Organisation portfolio: its repositories, stars, languages, activity and health.'),
      viewControls(
        'Activity series options',
        [
          { name: 'range', label: 'Activity range', options: rangeOptions, value: window.range },
          { name: 'interval', label: 'Interval', options: intervalOptions, value: window.interval },
        ],
        (values) => {
          window = timeWindowOf(new URLSearchParams(values));
          context.record(organizationPath(owner), timeWindowUrlQuery(window), { push: true });
          load();
        },
      ),
      body,
    );
    load();
  },
};

function drawPortfolio(
  body: HTMLElement,
  portfolio: OrganizationPortfolio,
  window: TimeWindow,
  context: DashboardContext,
) {
  const stem = [portfolio.owner];
  const { repositories, activity, health, languages, topRepositories } = portfolio;
  const days = activity.series.map((bucket) => formatDay(bucket.start));
  const activityChart = createChartPanel({
    key: 'activity',
    title: 'Activity over time',
    description: `Summed over every repository, per ${window.interval} (UTC).`,
    type: 'line',
    labels: days,
    labelHeader: intervalWord[activity.interval],
    series: [
      { label: 'Commits', data: activity.series.map((bucket) => bucket.commits) },
      { label: 'Pull requests opened', data: activity.series.map((bucket) => bucket.pullRequestsOpened) },
      { label: 'Pull requests merged', data: activity.series.map((bucket) => bucket.pullRequestsMerged) },
      { label: 'Issues opened', data: activity.series.map((bucket) => bucket.issuesOpened) },
      { label: 'Issues closed', data: activity.series.map((bucket) => bucket.issuesClosed) },
      { label: 'Releases', data: activity.series.map((bucket) => bucket.releases) },
    ],
    fileStem: stem,
    announce: context.announce,
  });
  // Bytes where they are known; a portfolio whose byte counts are all unknown is drawn by repositories.
  const byBytes = languages.some((language) => language.bytes > 0);
  const languageChart = createChartPanel({
    key: 'languages',
    title: 'Language composition',
    description: byBytes
      ? 'Share of all bytes of code.'
      : 'Repositories per primary language (no byte counts known).',
    type: 'doughnut',
    labels: languages.map((language) => language.language),
    labelHeader: 'Language',
    series: [
      byBytes
        ? { label: 'Bytes', data: languages.map((language) => language.bytes) }
        : { label: 'Repositories', data: languages.map((language) => language.repositories) },
    ],
    csv: () =>
      toCsv(
        ['language', 'repositories', 'bytes', 'share'],
        languages.map((language) => [
          language.language,
          language.repositories,
          language.bytes,
          language.share,
        ]),
      ),
    fileStem: stem,
    emptyMessage: 'No language is known for these repositories yet.',
    announce: context.announce,
  });
  const healthChart = createChartPanel({
    key: 'health',
    title: 'Health distribution',
    description: 'Repositories per health score band (0–100); "unknown": not computed yet.',
    type: 'bar',
    labels: health.distribution.map((bucket) => bucket.bucket),
    labelHeader: 'Health score',
    series: [{ label: 'Repositories', data: health.distribution.map((bucket) => bucket.repositories) }],
    fileStem: stem,
    announce: context.announce,
  });
  const starsChart = createChartPanel({
    key: 'top-stars',
    title: 'Stars of the top repositories',
    type: 'bar',
    horizontal: true,
    labels: topRepositories.map((repository) => repository.name),
    labelHeader: 'Repository',
    series: [{ label: 'Stars', data: topRepositories.map((repository) => repository.stars) }],
    fileStem: stem,
    announce: context.announce,
  });

  body.append(
    statList('Portfolio figures', [
      { key: 'repositories', label: 'Repositories', value: formatNumber(repositories.total) },
      {
        key: 'active',
        label: 'Active repositories',
        value: formatNumber(repositories.active),
        hint: 'a commit in the last 90 days',
      },
      { key: 'archived', label: 'Archived', value: formatNumber(repositories.archived) },
      { key: 'stars', label: 'Stars', value: formatNumber(portfolio.stars) },
      { key: 'forks', label: 'Forks', value: formatNumber(portfolio.forks) },
      { key: 'health-median', label: 'Median health', value: formatScore(health.median) },
    ]),
    topRepositoriesPanel(portfolio, context),
    h('div', { class: 'chart-grid' }, activityChart.element, starsChart.element),
    h('div', { class: 'chart-grid' }, languageChart.element, healthChart.element),
    languageTable(portfolio),
  );
  return [activityChart, starsChart, languageChart, healthChart];
}

function topRepositoriesPanel(portfolio: OrganizationPortfolio, context: DashboardContext): HTMLElement {
  const rows = portfolio.topRepositories;
  const compare = rows.slice(0, 5).map((repository) => `${repository.owner}/${repository.name}`);
  return panel(
    {
      key: 'top-repositories',
      title: 'Top repositories',
      actions: exportButtons({
        title: 'Top repositories',
        stem: [portfolio.owner, 'top-repositories'],
        csv: () =>
          toCsv(
            ['owner', 'name', 'stars', 'forks', 'primaryLanguage', 'archived', 'healthScore'],
            rows.map((row) => [
              row.owner,
              row.name,
              row.stars,
              row.forks,
              row.primaryLanguage,
              row.archived,
              row.healthScore,
            ]),
          ),
        announce: context.announce,
      }),
    },
    dataTable({
      name: 'top-repositories',
      caption: `The ${rows.length} repositories of ${portfolio.owner} with the most stars`,
      rows,
      columns: [
        { header: 'Repository', cell: (row) => repositoryLink(row.owner, row.name), rowHeader: true },
        { header: 'Language', cell: (row) => row.primaryLanguage ?? '—' },
        { header: 'Stars', cell: (row) => formatNumber(row.stars), numeric: true },
        { header: 'Forks', cell: (row) => formatNumber(row.forks), numeric: true },
        { header: 'Health', cell: (row) => formatScore(row.healthScore), numeric: true },
        { header: 'Archived', cell: (row) => (row.archived ? 'yes' : 'no') },
      ],
    }),
    compare.length >= 2
      ? h('p', {}, h('a', { href: `/compare?repos=${compare.join(',')}` }, 'Compare the top repositories'))
      : null,
  );
}

function languageTable(portfolio: OrganizationPortfolio): HTMLElement {
  return panel(
    { key: 'language-table', title: 'Languages' },
    dataTable({
      name: 'language-table',
      caption: `Languages of ${portfolio.owner}'s repositories`,
      rows: portfolio.languages,
      columns: [
        { header: 'Language', cell: (row) => row.language, rowHeader: true },
        { header: 'Repositories', cell: (row) => formatNumber(row.repositories), numeric: true },
        { header: 'Bytes', cell: (row) => formatNumber(row.bytes), numeric: true },
        { header: 'Share', cell: (row) => formatShare(row.share), numeric: true },
      ],
    }),
  );
}

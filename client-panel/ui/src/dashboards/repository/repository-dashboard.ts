import { formatMetric, metricLabel, metricNames } from '../../api/metric-labels.js';
import type { ActivitySeries, MetricSeries, RepositoryDetail } from '../../api/read-api-types.js';
import { createChartPanel } from '../../charts/chart-panel.js';
import { toCsv } from '@repopulse/web/csv.js';
import { exportButtons } from '../../export/export-buttons.js';
import { append, h } from '@repopulse/web/elements.js';
import { formatDateTime, formatDay, formatHours, formatNumber } from '../../ui/format.js';
import { organizationLink, repositoryPath } from '../../ui/links.js';
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
} from '../time-window.js';
import { healthPanels } from './health-panel.js';

/** The metric series the charts draw (one request for all of them). */
const seriesNames = [
  'stars',
  'forks',
  'first_response_median_hours_90d',
  'pr_merge_time_median_hours_90d',
  'contributors_90d',
  'active_contributors_90d',
  'bus_factor_365d',
  'health_score',
];

interface RepositoryData {
  detail: RepositoryDetail;
  metrics: MetricSeries;
  activity: ActivitySeries;
}

/** `/repositories/<owner>/<name>?range=&interval=`: one repository's health and activity. */
export const repositoryDashboard: Dashboard = {
  render(main, context) {
    const [, owner, name] = context.route.segments as [string, string, string];
    let window = timeWindowOf(context.route.query);
    const base = `/repositories/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
    context.setTitle(`${owner}/${name} — repository health`);
    const body = h('div', { class: 'dashboard-body' });
    const load = () =>
      showWhenLoaded(body, context, {
        what: `${owner}/${name}`,
        // The three answers are independent: asked for together.
        load: async () => {
          const range = timeWindowQuery(window);
          const [detail, metrics, activity] = await Promise.all([
            context.api.get<RepositoryDetail>(base),
            context.api.get<MetricSeries>(`${base}/metrics`, { names: seriesNames.join(','), ...range }),
            context.api.get<ActivitySeries>(`${base}/activity`, range),
          ]);
          return { detail, metrics, activity };
        },
        draw: (target, data) => drawRepository(target, data, base, context),
      });
    main.append(
      pageHeader(
        `${owner}/${name}`,
        h('span', {}, 'Repository health, activity and community. Owner: ', organizationLink(owner), '.'),
        h('a', { class: 'button-link', href: `/compare?repos=${owner}/${name}` }, 'Compare with others'),
      ),
      viewControls(
        'Time series options',
        [
          { name: 'range', label: 'Time range', options: rangeOptions, value: window.range },
          { name: 'interval', label: 'Interval', options: intervalOptions, value: window.interval },
        ],
        (values) => {
          window = timeWindowOf(new URLSearchParams(values));
          context.record(repositoryPath(owner, name), timeWindowUrlQuery(window), { push: true });
          load();
        },
      ),
      body,
    );
    load();
  },
};

function drawRepository(body: HTMLElement, data: RepositoryData, base: string, context: DashboardContext) {
  const { detail, metrics, activity } = data;
  const { repository } = detail;
  const stem = [repository.owner, repository.name];
  const announce = context.announce;
  const value = (metric: string) => detail.metrics[metric] ?? null;
  const activityDays = activity.series.map((bucket) => formatDay(bucket.start));
  const metricDays = metrics.series.map((bucket) => formatDay(bucket.start));
  const metricSeries = (metric: string) =>
    metrics.series.map((bucket) => (typeof bucket[metric] === 'number' ? (bucket[metric] as number) : null));
  const perBucket = intervalWord[activity.interval];
  const metricCsv = (names: readonly string[]) => () =>
    toCsv(
      ['start', ...names],
      metrics.series.map((bucket) => [
        bucket.start,
        ...names.map((metric) => bucket[metric] as number | null),
      ]),
    );
  // The API has this series as CSV itself: downloaded as it answers it.
  const activityCsv = () =>
    context.api.getText(`${base}/activity`, {
      from: activity.from,
      to: activity.to,
      interval: activity.interval,
      format: 'csv',
    });

  const health = healthPanels(detail, stem, announce);
  const charts = [
    createChartPanel({
      key: 'activity',
      title: `Commits, pull requests and issues per ${activity.interval}`,
      type: 'bar',
      labels: activityDays,
      labelHeader: perBucket,
      series: [
        { label: 'Commits', data: activity.series.map((bucket) => bucket.commits) },
        { label: 'Pull requests opened', data: activity.series.map((bucket) => bucket.pullRequestsOpened) },
        { label: 'Pull requests merged', data: activity.series.map((bucket) => bucket.pullRequestsMerged) },
        { label: 'Issues opened', data: activity.series.map((bucket) => bucket.issuesOpened) },
        { label: 'Issues closed', data: activity.series.map((bucket) => bucket.issuesClosed) },
      ],
      csv: activityCsv,
      fileStem: stem,
      announce,
    }),
    createChartPanel({
      key: 'stars-forks',
      title: 'Stars and forks over time',
      description: `The counts at the end of each ${metrics.interval}, from the daily metric points.`,
      type: 'line',
      labels: metricDays,
      labelHeader: intervalWord[metrics.interval],
      series: [
        { label: 'Stars', data: metricSeries('stars') },
        { label: 'Forks', data: metricSeries('forks') },
      ],
      csv: metricCsv(['stars', 'forks']),
      fileStem: stem,
      announce,
    }),
    createChartPanel({
      key: 'stars-forks-gained',
      title: `Stars and forks gained per ${activity.interval}`,
      type: 'bar',
      labels: activityDays,
      labelHeader: perBucket,
      series: [
        { label: 'Stars gained', data: activity.series.map((bucket) => bucket.stars) },
        { label: 'Forks gained', data: activity.series.map((bucket) => bucket.forks) },
      ],
      fileStem: stem,
      announce,
    }),
    createChartPanel({
      key: 'response-times',
      title: 'Time to first response and time to merge',
      description: 'Medians over the 90 days before each point, in hours.',
      type: 'line',
      labels: metricDays,
      labelHeader: intervalWord[metrics.interval],
      series: [
        { label: 'Time to first response (hours)', data: metricSeries('first_response_median_hours_90d') },
        { label: 'Time to merge (hours)', data: metricSeries('pr_merge_time_median_hours_90d') },
      ],
      csv: metricCsv(['first_response_median_hours_90d', 'pr_merge_time_median_hours_90d']),
      formatValue: formatHours,
      fileStem: stem,
      announce,
    }),
    createChartPanel({
      key: 'contributors',
      title: 'Contributors and bus factor',
      type: 'line',
      labels: metricDays,
      labelHeader: intervalWord[metrics.interval],
      series: [
        { label: 'Contributors (90 days)', data: metricSeries('contributors_90d') },
        { label: 'Active contributors (90 days)', data: metricSeries('active_contributors_90d') },
        { label: 'Bus factor (365 days)', data: metricSeries('bus_factor_365d') },
      ],
      csv: metricCsv(['contributors_90d', 'active_contributors_90d', 'bus_factor_365d']),
      fileStem: stem,
      announce,
    }),
    createChartPanel({
      key: 'releases',
      title: 'Release cadence',
      description: `Releases per ${activity.interval}; ${formatNumber(value('releases_365d'))} in the last 365 days.`,
      type: 'bar',
      labels: activityDays,
      labelHeader: perBucket,
      series: [{ label: 'Releases', data: activity.series.map((bucket) => bucket.releases) }],
      fileStem: stem,
      announce,
    }),
  ];

  // A headline figure that is a metric of docs/METRICS.md, written as the metric is.
  const metricStat = (key: string, label: string, hint?: string) => ({
    key,
    label,
    value: formatMetric(key, value(key)),
    ...(hint === undefined ? {} : { hint }),
  });
  append(body, [
    repository.description ? h('p', { class: 'description' }, repository.description) : null,
    statList('Headline figures', [
      { key: 'stars', label: 'Stars', value: formatNumber(repository.stars) },
      { key: 'forks', label: 'Forks', value: formatNumber(repository.forks) },
      metricStat('commits_90d', 'Commits (90 days)'),
      metricStat('first_response_median_hours_90d', 'Time to first response', 'median, 90 days'),
      metricStat('pr_merge_time_median_hours_90d', 'Time to merge', 'median, 90 days'),
      metricStat('contributors_90d', 'Contributors (90 days)'),
      metricStat('bus_factor_365d', 'Bus factor'),
      metricStat('releases_365d', 'Releases (365 days)'),
    ]),
    health.element,
    h(
      'div',
      { class: 'chart-grid' },
      charts.map((chart) => chart.element),
    ),
    metricsTable(detail, stem, announce),
  ]);
  return [...health.charts, ...charts];
}

function metricsTable(
  detail: RepositoryDetail,
  stem: readonly string[],
  announce: (message: string) => void,
) {
  const rows = metricNames.map((metric) => ({
    metric,
    value: detail.metrics[metric] ?? null,
    reason: detail.metricDetails[metric]?.reason,
  }));
  return panel(
    {
      key: 'metrics',
      title: 'Every metric',
      actions: exportButtons({
        title: 'Every metric',
        stem: [...stem, 'metrics'],
        csv: () =>
          toCsv(
            ['metric', 'value', 'reason'],
            rows.map((row) => [row.metric, row.value, row.reason]),
          ),
        announce,
      }),
    },
    h('p', { class: 'muted small' }, `Computed for ${formatDateTime(detail.computedAt)}.`),
    dataTable({
      name: 'metrics',
      caption: 'The latest value of every metric (METRICS.md)',
      rows,
      columns: [
        { header: 'Metric', cell: (row) => metricLabel(row.metric), rowHeader: true },
        { header: 'Value', cell: (row) => formatMetric(row.metric, row.value), numeric: true },
        {
          header: 'Note',
          cell: (row) => (row.value === null ? (row.reason ?? 'unknown').replaceAll('_', ' ') : ''),
        },
      ],
    }),
  );
}

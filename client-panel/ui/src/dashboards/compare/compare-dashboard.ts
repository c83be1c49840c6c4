import { formatMetric, metricLabel } from '../../api/metric-labels.js';
import type { ActivitySeries, Comparison } from '../../api/read-api-types.js';
import { createChartPanel } from '../../charts/chart-panel.js';
import { toCsv } from '@repopulse/web/csv.js';
import { exportButtons } from '../../export/export-buttons.js';
import { h } from '@repopulse/web/elements.js';
import { filterForm } from '../../ui/filter-form.js';
import { formatDay, formatScore } from '../../ui/format.js';
import { repositoryLink } from '../../ui/links.js';
import { pageHeader, panel } from '../../ui/page-header.js';
import { emptyState } from '@repopulse/web/states.js';
import type { Dashboard, DashboardContext } from '../dashboard.js';
import { showWhenLoaded } from '../show-when-loaded.js';
import {
  intervalOptions,
  intervalWord,
  timeWindowOf,
  timeWindowQuery,
  timeWindowUrlQuery,
  type TimeWindow,
} from '../time-window.js';
import { maxCompared, minCompared, readSelection } from './compare-selection.js';

/** The metrics side by side, in this order; each can be drawn over time. */
const comparedMetrics = [
  'stars',
  'forks',
  'stars_gained_30d',
  'commits_90d',
  'contributors_90d',
  'active_contributors_90d',
  'bus_factor_365d',
  'pull_requests_merged_90d',
  'pr_merge_time_median_hours_90d',
  'first_response_median_hours_90d',
  'issue_closure_ratio_90d',
  'releases_365d',
  'days_since_last_commit',
];
const defaultMetric = 'commits_90d';

interface CompareView {
  repos: string;
  metric: string;
  window: TimeWindow;
}

function viewOf(query: URLSearchParams): CompareView {
  const metric = query.get('metric') ?? defaultMetric;
  return {
    repos: query.get('repos') ?? '',
    metric: comparedMetrics.includes(metric) ? metric : defaultMetric,
    window: timeWindowOf(query),
  };
}

interface CompareData {
  comparison: Comparison;
  activities: ActivitySeries[];
}

/** `/compare?repos=a/b,c/d&metric=&interval=`: two to five repositories side by side. */
export const compareDashboard: Dashboard = {
  render(main, context) {
    let view = viewOf(context.route.query);
    context.setTitle('Compare repositories');
    const body = h('div', { class: 'dashboard-body' });
    const load = () => {
      const selection = readSelection(view.repos);
      if ('problem' in selection) {
        body.replaceChildren(
          emptyState(
            view.repos
              ? selection.problem
              : `Name ${minCompared} to ${maxCompared} repositories above to compare them.`,
          ),
        );
        context.setState('empty');
        return;
      }
      const repos = selection.repositories;
      showWhenLoaded(body, context, {
        what: 'the comparison',
        // The comparison and each repository's activity are independent: asked for together.
        load: async () => {
          const range = timeWindowQuery(view.window);
          const [comparison, ...activities] = await Promise.all([
            context.api.get<Comparison>('/compare', {
              repos: repos.join(','),
              names: comparedMetrics.join(','),
              ...range,
            }),
            ...repos.map((repository) =>
              context.api.get<ActivitySeries>(`/repositories/${repository}/activity`, range),
            ),
          ]);
          return { comparison: comparison as Comparison, activities: activities as ActivitySeries[] };
        },
        draw: (target, data) => drawComparison(target, data, view, context),
      });
    };
    const record = () =>
      context.record(
        '/compare',
        {
          repos: view.repos,
          metric: view.metric === defaultMetric ? undefined : view.metric,
          ...timeWindowUrlQuery(view.window),
        },
        { push: true },
      );
    main.append(
      pageHeader(
        'Compare repositories',
        `${minCompared} to ${maxCompared} repositories side by side: their metrics and their series overlaid.`,
      ),
      filterForm({
        label: 'Repositories to compare',
        submitLabel: 'Compare',
        fields: [
          {
            kind: 'text',
            name: 'repos',
            label: `Repositories (owner/name, comma-separated, ${minCompared} to ${maxCompared})`,
            value: view.repos,
            placeholder: 'acme/widgets, acme/gadgets',
          },
          {
            kind: 'select',
            name: 'metric',
            label: 'Metric over time',
            value: view.metric,
            options: comparedMetrics.map((metric) => [metric, metricLabel(metric)] as const),
          },
          {
            kind: 'select',
            name: 'interval',
            label: 'Interval',
            value: view.window.interval,
            options: intervalOptions,
          },
        ],
        onApply: (values) => {
          const repos = readSelection(values.repos ?? '');
          view = viewOf(
            new URLSearchParams({
              ...values,
              repos: 'repositories' in repos ? repos.repositories.join(',') : (values.repos ?? ''),
            }),
          );
          record();
          load();
        },
      }),
      body,
    );
    load();
  },
};

function drawComparison(body: HTMLElement, data: CompareData, view: CompareView, context: DashboardContext) {
  const { comparison, activities } = data;
  const compared = comparison.repositories;
  const names = compared.map((entry) => `${entry.repository.owner}/${entry.repository.name}`);
  const stem = ['compare', ...names];
  const firstSeries = compared[0]?.series ?? [];
  const metricChart = createChartPanel({
    key: 'metric-over-time',
    title: `${metricLabel(view.metric)} over time`,
    description: `The value at the end of each ${comparison.interval ?? view.window.interval}, from the daily metric points.`,
    type: 'line',
    labels: firstSeries.map((bucket) => formatDay(bucket.start)),
    labelHeader: intervalWord[comparison.interval ?? view.window.interval],
    series: compared.map((entry, index) => ({
      label: names[index]!,
      data: (entry.series ?? []).map((bucket) =>
        typeof bucket[view.metric] === 'number' ? (bucket[view.metric] as number) : null,
      ),
    })),
    formatValue: (value) => formatMetric(view.metric, value),
    fileStem: stem,
    announce: context.announce,
  });
  const activityDays = (activities[0]?.series ?? []).map((bucket) => formatDay(bucket.start));
  const commitsChart = createChartPanel({
    key: 'commits-over-time',
    title: `Commits per ${activities[0]?.interval ?? view.window.interval}`,
    type: 'line',
    labels: activityDays,
    labelHeader: intervalWord[activities[0]?.interval ?? view.window.interval],
    series: activities.map((activity, index) => ({
      label: names[index]!,
      data: activity.series.map((bucket) => bucket.commits),
    })),
    fileStem: stem,
    announce: context.announce,
  });
  body.append(
    comparisonTable(comparison, names, stem, context),
    h('div', { class: 'chart-grid' }, metricChart.element, commitsChart.element),
  );
  return [metricChart, commitsChart];
}

function comparisonTable(
  comparison: Comparison,
  names: readonly string[],
  stem: readonly string[],
  context: DashboardContext,
) {
  const compared = comparison.repositories;
  const rows: Array<{
    key: string;
    label: string;
    values: Array<number | null>;
    format: (value: number | null) => string;
  }> = [
    {
      key: 'health_score',
      label: 'Health score (0–100)',
      values: compared.map((entry) => entry.healthScore),
      format: formatScore,
    },
    ...comparison.names.map((metric) => ({
      key: metric,
      label: metricLabel(metric),
      values: compared.map((entry) => entry.metrics[metric] ?? null),
      format: (value: number | null) => formatMetric(metric, value),
    })),
  ];
  const csv = () =>
    toCsv(
      ['metric', ...names],
      rows.map((row) => [row.key, ...row.values]),
    );
  return panel(
    {
      key: 'comparison',
      title: 'Side by side',
      actions: exportButtons({
        title: 'Side by side',
        stem: [...stem, 'metrics'],
        csv,
        announce: context.announce,
      }),
    },
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'compare-table', 'data-table': 'comparison' },
        h('caption', {}, `The latest metrics of ${names.join(', ')}`),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Metric'),
            compared.map((entry) =>
              h(
                'th',
                { scope: 'col', class: 'number' },
                repositoryLink(entry.repository.owner, entry.repository.name),
              ),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          rows.map((row) =>
            h(
              'tr',
              { 'data-metric': row.key },
              h('th', { scope: 'row' }, row.label),
              row.values.map((value) => h('td', { class: 'number' }, row.format(value))),
            ),
          ),
        ),
      ),
    ),
  );
}

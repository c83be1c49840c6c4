import { metricLabel, formatMetric } from '../../api/metric-labels.js';
import type { RepositoryDetail } from '../../api/read-api-types.js';
import { createChartPanel, type ChartPanel } from '../../charts/chart-panel.js';
import { toCsv } from '@repopulse/web/csv.js';
import { exportButtons } from '../../export/export-buttons.js';
import { h } from '@repopulse/web/elements.js';
import { formatNumber, formatScore } from '../../ui/format.js';
import { panel } from '../../ui/page-header.js';
import { dataTable } from '../../ui/tables.js';

const componentNames: Record<string, string> = {
  activity: 'Activity',
  community: 'Community',
  responsiveness: 'Responsiveness',
  maintenance: 'Maintenance',
  growth: 'Growth',
};

/** The health score, what makes it up (component, weight, score, reason, inputs) and a chart of it. */
export function healthPanels(
  detail: RepositoryDetail,
  stem: readonly string[],
  announce: (message: string) => void,
): { element: HTMLElement; charts: ChartPanel[] } {
  const health = detail.health;
  if (!health) {
    return {
      element: panel(
        { key: 'health', title: 'Health score' },
        h('p', { class: 'state state-empty' }, detail.note ?? 'The health score has not been computed yet.'),
      ),
      charts: [],
    };
  }
  const components = health.components;
  const csv = () =>
    toCsv(
      ['component', 'weight', 'score', 'reason', 'inputs'],
      components.map((component) => [
        component.name,
        component.weight,
        component.score,
        component.reason,
        component.inputs.map((input) => `${input.metric}=${input.value ?? ''}`).join('; '),
      ]),
    );
  const chart = createChartPanel({
    key: 'health-components',
    title: 'Health components',
    description: 'Each component scores 0–100; the score is their weighted mean.',
    type: 'bar',
    horizontal: true,
    labels: components.map((component) => componentNames[component.name] ?? component.name),
    labelHeader: 'Component',
    series: [{ label: 'Score', data: components.map((component) => component.score) }],
    formatValue: formatScore,
    fileStem: stem,
    announce,
  });
  const element = panel(
    {
      key: 'health',
      title: 'Health score',
      actions: exportButtons({ title: 'Health score', stem: [...stem, 'health'], csv, announce }),
    },
    h(
      'p',
      { class: 'health-score', 'data-stat': 'health-score' },
      h('span', { class: 'score-value' }, formatScore(health.score)),
      h('span', { class: 'muted' }, ' of 100'),
    ),
    health.renormalised
      ? h(
          'p',
          { class: 'notice' },
          health.note ?? 'Components without data are left out and the weights of the others renormalised.',
        )
      : null,
    dataTable({
      name: 'health-components',
      caption: 'What makes up the health score',
      rows: components,
      columns: [
        { header: 'Component', cell: (row) => componentNames[row.name] ?? row.name, rowHeader: true },
        { header: 'Weight', cell: (row) => formatNumber(row.weight), numeric: true },
        { header: 'Score', cell: (row) => formatScore(row.score), numeric: true },
        { header: 'Why', cell: (row) => row.reason },
        {
          header: 'Inputs',
          cell: (row) =>
            h(
              'ul',
              { class: 'inputs' },
              row.inputs.map((input) =>
                h('li', {}, `${metricLabel(input.metric)}: ${formatMetric(input.metric, input.value)}`),
              ),
            ),
        },
      ],
    }),
  );
  return { element: h('div', { class: 'chart-grid health-grid' }, element, chart.element), charts: [chart] };
}

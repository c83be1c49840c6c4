import type { ChartConfiguration, ChartType } from 'chart.js';
import { toCsv } from '@repopulse/web/csv.js';
import { exportButtons } from '../export/export-buttons.js';
import { h, uniqueId, type Child } from '@repopulse/web/elements.js';
import { formatNumber } from '../ui/format.js';
import { emptyState } from '@repopulse/web/states.js';
import { Chart, palette, whiteBackground } from './chart-registry.js';

export interface ChartSeries {
  label: string;
  data: ReadonlyArray<number | null>;
  /** In a bar chart, draw this one as a line over the bars. */
  asLine?: boolean;
}

export interface ChartPanelOptions {
  /** Names the panel (`data-chart`) and its files. */
  key: string;
  title: string;
  description?: Child;
  type: 'line' | 'bar' | 'doughnut';
  /** The x axis (or the slices): bucket days, repositories, languages. */
  labels: readonly string[];
  /** What the labels are, as the table and the CSV head their column. */
  labelHeader: string;
  series: readonly ChartSeries[];
  /** The first part of the exported files' names (`acme`, `acme/widgets`). */
  fileStem: readonly string[];
  /** The CSV to download; by default the chart's own numbers, as its table shows them. */
  csv?: () => Promise<string> | string;
  stacked?: boolean;
  horizontal?: boolean;
  formatValue?: (value: number | null) => string;
  /** Shown instead of the chart when there are no labels. */
  emptyMessage?: string;
  announce?: (message: string) => void;
}

export interface ChartPanel {
  element: HTMLElement;
  /** Draws the chart; call once the panel is in the document (chart.js measures its box). */
  draw(): void;
  destroy(): void;
}

function configuration(options: ChartPanelOptions): ChartConfiguration<ChartType> {
  const doughnut = options.type === 'doughnut';
  const datasets = options.series.map((series, index) => {
    const color = palette[index % palette.length]!;
    return {
      label: series.label,
      data: [...series.data],
      ...(doughnut
        ? { backgroundColor: options.labels.map((_, slice) => palette[slice % palette.length]!) }
        : { backgroundColor: color, borderColor: color }),
      ...(series.asLine ? { type: 'line' as const, order: 0 } : { order: 1 }),
      ...(options.type === 'line' || series.asLine ? { spanGaps: true, pointRadius: 2, borderWidth: 2 } : {}),
    };
  });
  // Counts (every value whole) get whole ticks: no "0.5 commits" on the value axis.
  const whole = options.series.every((series) =>
    series.data.every((value) => value === null || Number.isInteger(value)),
  );
  const valueTicks = whole ? { precision: 0 } : {};
  const stacked = options.stacked ?? false;
  const scales = doughnut
    ? {}
    : options.horizontal
      ? {
          x: { stacked, beginAtZero: true, ticks: valueTicks },
          y: { stacked, ticks: { autoSkip: false } },
        }
      : {
          x: { stacked, ticks: { autoSkip: true, maxRotation: 0 } },
          y: { stacked, beginAtZero: true, ticks: valueTicks },
        };
  return {
    type: options.type,
    data: { labels: [...options.labels], datasets },
    options: {
      responsive: true,
      indexAxis: options.horizontal ? 'y' : 'x',
      scales,
      plugins: { legend: { display: doughnut || options.series.length > 1, position: 'bottom' } },
    },
    plugins: [whiteBackground],
  } as ChartConfiguration<ChartType>;
}

/** The chart's numbers as a table: the accessible alternative to the picture, and what the CSV holds. */
function numbersTable(options: ChartPanelOptions, format: (value: number | null) => string): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { 'data-table': options.key },
      h('caption', {}, options.title),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, options.labelHeader),
          options.series.map((series) => h('th', { scope: 'col', class: 'number' }, series.label)),
        ),
      ),
      h(
        'tbody',
        {},
        options.labels.map((label, row) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, label),
            options.series.map((series) => h('td', { class: 'number' }, format(series.data[row] ?? null))),
          ),
        ),
      ),
    ),
  );
}

/** The chart's numbers as CSV: one row per label, one column per series, raw values. */
export function chartCsv(
  options: Pick<ChartPanelOptions, 'labels' | 'labelHeader' | 'series'>,
): Promise<string> {
  return toCsv(
    [options.labelHeader, ...options.series.map((series) => series.label)],
    options.labels.map((label, row) => [label, ...options.series.map((series) => series.data[row] ?? null)]),
  );
}

/**
 * A titled chart with its numbers in a disclosure table and buttons that download them as CSV and the
 * picture as PNG. The canvas is an image to assistive technology, labelled with the title; the table
 * carries the same numbers in words.
 */
export function createChartPanel(options: ChartPanelOptions): ChartPanel {
  const headingId = uniqueId('chart');
  const format = options.formatValue ?? formatNumber;
  const empty = options.labels.length === 0;
  const canvas = h('canvas', {
    role: 'img',
    'aria-label': `${options.title} (chart; the numbers are in the table below)`,
  });
  const stem = [...options.fileStem, options.key];
  let chart: Chart | undefined;

  const element = h(
    'section',
    { class: 'panel chart-panel', 'data-chart': options.key, 'aria-labelledby': headingId },
    h(
      'div',
      { class: 'panel-head' },
      h('h2', { id: headingId }, options.title),
      exportButtons({
        title: options.title,
        stem,
        csv: options.csv ?? (() => chartCsv(options)),
        canvas: empty ? undefined : canvas,
        announce: options.announce,
      }),
    ),
    options.description ? h('p', { class: 'muted small' }, options.description) : null,
    empty
      ? emptyState(options.emptyMessage ?? 'Nothing to chart yet.')
      : [
          h('div', { class: `chart-box chart-${options.type}` }, canvas),
          h(
            'details',
            { class: 'chart-numbers' },
            h('summary', {}, 'Show the numbers'),
            numbersTable(options, format),
          ),
        ],
  );

  return {
    element,
    draw() {
      if (!empty && !chart) chart = new Chart(canvas, configuration(options));
    },
    destroy() {
      chart?.destroy();
      chart = undefined;
    },
  };
}

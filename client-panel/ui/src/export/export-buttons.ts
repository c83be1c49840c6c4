import { h } from '@repopulse/web/elements.js';
import { downloadCanvasPng, downloadCsv, fileName } from './download.js';

/**
 * "CSV" and "PNG" buttons for one panel, named in full for screen readers ("Download Activity as CSV").
 * The CSV comes from `csv` (the API's own CSV where it has one, else built from the numbers shown); the PNG
 * is the chart's canvas.
 */
export function exportButtons(options: {
  title: string;
  /** The exported files' name: `acme-activity.csv`. */
  stem: readonly string[];
  csv: () => Promise<string> | string;
  canvas?: HTMLCanvasElement;
  announce?: (message: string) => void;
}): HTMLElement {
  const run = (button: HTMLButtonElement, work: () => Promise<void>, format: string) => {
    button.disabled = true;
    work()
      .then(() => options.announce?.(`Downloaded ${options.title} as ${format}`))
      .catch((error: unknown) =>
        options.announce?.(
          `Could not download ${options.title}: ${error instanceof Error ? error.message : String(error)}`,
        ),
      )
      .finally(() => (button.disabled = false));
  };
  const csvButton = h(
    'button',
    { type: 'button', class: 'small', 'aria-label': `Download ${options.title} as CSV` },
    'CSV',
  );
  csvButton.addEventListener('click', () =>
    run(csvButton, async () => downloadCsv(await options.csv(), fileName(options.stem, 'csv')), 'CSV'),
  );
  const canvas = options.canvas;
  const pngButton = canvas
    ? h('button', { type: 'button', class: 'small', 'aria-label': `Download ${options.title} as PNG` }, 'PNG')
    : null;
  pngButton?.addEventListener('click', () =>
    run(pngButton, () => downloadCanvasPng(canvas!, fileName(options.stem, 'png')), 'PNG'),
  );
  return h('div', { class: 'export-buttons' }, csvButton, pngButton);
}

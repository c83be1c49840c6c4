import type { ChartPanel } from '../charts/chart-panel.js';
import { replaceChildren } from '@repopulse/web/elements.js';
import { emptyState, errorState, loadingState } from '@repopulse/web/states.js';
import type { DashboardContext } from './dashboard.js';

const drawn = new WeakMap<HTMLElement, { destroy(): void }>();

export interface LoadedView<Data> {
  /** Said while loading: "Loading <what>…". */
  what: string;
  /** Every request the view needs, started together (never one after another). */
  load: () => Promise<Data>;
  /** A message when there is nothing to show, else undefined. */
  empty?: (data: Data) => string | undefined;
  /** Fills `body` and returns the charts to draw once it is in the document. */
  draw: (body: HTMLElement, data: Data) => readonly ChartPanel[];
}

/**
 * The life of a dashboard's data part: loading state, then the drawn data (`data-state="ready"` only once
 * every chart is drawn and every table filled), the empty state, or the API's error in words with a retry.
 */
export function showWhenLoaded<Data>(
  body: HTMLElement,
  context: DashboardContext,
  view: LoadedView<Data>,
): void {
  // A body shown again (new filters) drops what it showed; an older answer arriving late is ignored.
  drawn.get(body)?.destroy();
  let panels: readonly ChartPanel[] = [];
  const generation = { destroy: () => panels.forEach((panel) => panel.destroy()) };
  drawn.set(body, generation);
  context.onLeave(generation.destroy);
  const stale = () => !context.isCurrent() || drawn.get(body) !== generation;

  const run = async () => {
    generation.destroy();
    context.setState('loading');
    replaceChildren(body, loadingState(view.what));
    body.setAttribute('aria-busy', 'true');
    let data: Data;
    try {
      data = await view.load();
    } catch (error) {
      if (stale()) return;
      body.removeAttribute('aria-busy');
      replaceChildren(
        body,
        errorState(error, () => void run()),
      );
      context.setState('error');
      return;
    }
    if (stale()) return;
    body.removeAttribute('aria-busy');
    const emptyMessage = view.empty?.(data);
    if (emptyMessage) {
      replaceChildren(body, emptyState(emptyMessage));
      context.setState('empty');
      return;
    }
    body.replaceChildren();
    panels = view.draw(body, data);
    for (const panel of panels) panel.draw();
    context.setState('ready');
  };
  void run();
}

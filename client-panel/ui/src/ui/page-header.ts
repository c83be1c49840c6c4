import { h, type Child } from '@repopulse/web/elements.js';

/** The view's heading (focused after navigation, so keyboard and screen-reader users start there). */
export function pageHeader(title: Child, intro?: Child, actions?: Child): HTMLElement {
  return h(
    'header',
    { class: 'page-header' },
    h('div', {}, h('h1', { tabindex: -1 }, title), intro ? h('p', { class: 'intro' }, intro) : null),
    actions ? h('div', { class: 'page-actions' }, actions) : null,
  );
}

/** A titled part of a view, with export buttons beside the title when given. */
export function panel(
  options: { key: string; title: string; actions?: Child },
  ...children: Child[]
): HTMLElement {
  const id = `panel-${options.key}`;
  return h(
    'section',
    { class: 'panel', 'data-panel': options.key, 'aria-labelledby': id },
    h('div', { class: 'panel-head' }, h('h2', { id }, options.title), options.actions),
    children,
  );
}

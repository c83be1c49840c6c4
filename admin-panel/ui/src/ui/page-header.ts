import { h, type Child } from '@repopulse/web/elements.js';

/** The page's heading (focused after navigation, so keyboard and screen-reader users start there). */
export function pageHeader(title: string, intro?: Child, actions?: Child): HTMLElement {
  return h(
    'header',
    { class: 'page-header' },
    h('div', {}, h('h1', { tabindex: -1 }, title), intro ? h('p', { class: 'intro' }, intro) : null),
    actions ? h('div', { class: 'page-actions' }, actions) : null,
  );
}

/** A titled part of a page. */
export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'panel' }, h('h2', {}, title), children);
}

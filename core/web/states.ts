import { describeError } from './api-error.js';
import { h } from './elements.js';

/** Shown while a dashboard's data is on its way. */
export function loadingState(what: string): HTMLElement {
  return h(
    'p',
    { class: 'state state-loading', role: 'status' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }),
    `Loading ${what}…`,
  );
}

/** Shown when there is nothing to show, saying what would put something there. */
export function emptyState(message: string): HTMLElement {
  return h('p', { class: 'state state-empty', role: 'status' }, message);
}

/** Shown when loading failed: the API's reason in words (problem+json `detail`), and a way to try again. */
export function errorState(error: unknown, retry?: () => void): HTMLElement {
  return h(
    'div',
    { class: 'state state-error', role: 'alert' },
    h('p', {}, h('strong', {}, 'Could not load this. '), describeError(error)),
    retry ? h('button', { type: 'button', onclick: retry }, 'Try again') : null,
  );
}

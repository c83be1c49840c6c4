import { h } from '@repopulse/web/elements.js';

/** A run's or a rule's state as a coloured word (the word carries the meaning; colour only helps). */
export function statusBadge(status: string): HTMLElement {
  return h('span', { class: 'badge', 'data-status': status }, status);
}

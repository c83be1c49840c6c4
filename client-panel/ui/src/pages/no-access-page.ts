import type { Identity } from '@repopulse/web/session.js';
import { h, replaceChildren } from '@repopulse/web/elements.js';

/** A signed-in user whose roles do not include analyst or admin: the read API would answer 403. */
export function renderNoAccessPage(
  root: HTMLElement,
  options: { identity: Identity; onLogOut(): void },
): void {
  document.title = 'No access — Repo Pulse';
  const roles = options.identity.roles.length > 0 ? options.identity.roles.join(', ') : 'none';
  const heading = h('h1', { tabindex: -1 }, 'The dashboards are for analysts');
  replaceChildren(
    root,
    h(
      'main',
      { class: 'login', id: 'main', 'data-state': 'error' },
      h(
        'div',
        { class: 'login-card not-admin', role: 'alert' },
        heading,
        h(
          'p',
          {},
          'You are signed in as ',
          h('strong', {}, options.identity.name),
          ` (roles: ${roles}). Only users with the analyst or admin role can read the dashboards.`,
        ),
        h('button', { type: 'button', onclick: options.onLogOut }, 'Log out'),
      ),
    ),
  );
  heading.focus();
}

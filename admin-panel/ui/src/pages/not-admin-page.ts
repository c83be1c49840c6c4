import type { Identity } from '@repopulse/web/session.js';
import { h, replaceChildren } from '@repopulse/web/elements.js';

/**
 * What a signed-in non-admin sees: no admin data is requested at all (the API would answer 403), just
 * a plain statement and a way out.
 */
export function renderNotAdminPage(
  root: HTMLElement,
  options: { identity: Identity; onLogOut(): void },
): void {
  document.title = 'Admins only — Repo Pulse admin';
  const roles = options.identity.roles.length > 0 ? options.identity.roles.join(', ') : 'none';
  const heading = h('h1', { tabindex: -1 }, 'This panel is for admins');
  replaceChildren(
    root,
    h(
      'main',
      { class: 'login', id: 'main' },
      h(
        'div',
        { class: 'login-card not-admin', role: 'alert' },
        heading,
        h(
          'p',
          {},
          'You are signed in as ',
          h('strong', {}, options.identity.name),
          ` (roles: ${roles}). Only users with the admin role can use the admin panel.`,
        ),
        h('p', {}, 'Analysts find the dashboards at ', h('a', { href: '/' }, 'the analyst panel'), '.'),
        h('button', { type: 'button', onclick: options.onLogOut }, 'Log out'),
      ),
    ),
  );
  heading.focus();
}

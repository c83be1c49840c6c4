import type { Identity } from './session.js';
import { h, replaceChildren, type Child } from './elements.js';

/**
 * What a signed-in user whose roles do not open this panel sees: no data is requested at all (its API
 * would answer 403), just a plain statement of who they are and who the panel is for, and a way out.
 */
export function renderNoAccessPage(
  root: HTMLElement,
  options: {
    identity: Identity;
    /** The page's title ("Admins only — Repo Pulse admin"). */
    title: string;
    heading: string;
    /** Who may use the panel, as a sentence ("Only users with the admin role can use the admin panel."). */
    requirement: string;
    /** Anything more to say, e.g. where they can go instead. */
    more?: Child;
    onLogOut(): void;
  },
): void {
  document.title = options.title;
  const roles = options.identity.roles.length > 0 ? options.identity.roles.join(', ') : 'none';
  const heading = h('h1', { tabindex: -1 }, options.heading);
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
          ` (roles: ${roles}). ${options.requirement}`,
        ),
        options.more ?? null,
        h('button', { type: 'button', onclick: options.onLogOut }, 'Log out'),
      ),
    ),
  );
  heading.focus();
}

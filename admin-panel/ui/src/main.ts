import { startShell } from './app-shell.js';
import { adminPages } from './pages/admin-pages.js';
import { renderLoginPage } from '@repopulse/web/login-page.js';
import { renderNoAccessPage } from '@repopulse/web/no-access-page.js';
import { createRouter } from './router.js';
import { createSession, type Identity } from '@repopulse/web/session.js';
import { h, replaceChildren } from '@repopulse/web/elements.js';
import '@repopulse/web/base.css';

// The admin UI: log in at the proxy, then either the admin pages or, for anyone without the admin role,
// a page saying the panel is theirs not to use (the admin API would refuse them anyway).
const root = document.querySelector<HTMLElement>('#app')!;
const session = createSession('repopulse.admin.session');
const router = createRouter('/admin/');

function showLogin(message?: string): void {
  renderLoginPage(root, {
    session,
    product: 'Repo Pulse admin',
    intro: 'Log in with your Repo Pulse account.',
    message,
    onLoggedIn: enter,
  });
}

function enter(identity: Identity): void {
  if (!identity.roles.includes('admin')) {
    renderNoAccessPage(root, {
      identity,
      title: 'Admins only — Repo Pulse admin',
      heading: 'This panel is for admins',
      requirement: 'Only users with the admin role can use the admin panel.',
      more: h('p', {}, 'Analysts find the dashboards at ', h('a', { href: '/' }, 'the analyst panel'), '.'),
      onLogOut: () => {
        session.logOut();
        showLogin();
      },
    });
    return;
  }
  startShell({ root, pages: adminPages, router, session, identity, onSignedOut: showLogin });
}

replaceChildren(root, h('p', { class: 'state state-loading', role: 'status' }, 'Loading…'));
const identity = await session.identify();
if (identity) enter(identity);
else showLogin();

import { startShell } from './app-shell.js';
import { renderLoginPage } from '@repopulse/web/login-page.js';
import { renderNoAccessPage } from '@repopulse/web/no-access-page.js';
import { createRouter } from './router.js';
import { createSession, type Identity } from '@repopulse/web/session.js';
import { h, replaceChildren } from '@repopulse/web/elements.js';
import '@repopulse/web/base.css';
import './styles.css';

// The analysts' UI: log in at the proxy, then the dashboards, which read the output gateway at /api.
const root = document.querySelector<HTMLElement>('#app')!;
const session = createSession('repopulse.analyst.session');
const router = createRouter();
const readerRoles = ['analyst', 'admin'];

function showLogin(message?: string): void {
  renderLoginPage(root, {
    session,
    product: 'Repo Pulse',
    intro: 'Log in with your Repo Pulse account to see the dashboards.',
    message,
    onLoggedIn: enter,
  });
}

function enter(identity: Identity): void {
  if (!identity.roles.some((role) => readerRoles.includes(role))) {
    renderNoAccessPage(root, {
      identity,
      title: 'No access — Repo Pulse',
      heading: 'The dashboards are for analysts',
      requirement: 'Only users with the analyst or admin role can read the dashboards.',
      onLogOut: () => {
        session.logOut();
        showLogin();
      },
    });
    return;
  }
  startShell({ root, router, session, identity, onSignedOut: showLogin });
}

replaceChildren(
  root,
  h(
    'main',
    { id: 'main', 'data-state': 'loading' },
    h('p', { class: 'state state-loading', role: 'status' }, 'Loading…'),
  ),
);
const identity = await session.identify();
if (identity) enter(identity);
else showLogin();

import { createStatusRegion, renderShellFrame } from '@repopulse/web/shell-frame.js';
import { createHttpClient } from '@repopulse/web/http-client.js';
import type { PageContext, PageDefinition } from './page.js';
import type { Router } from './router.js';
import type { Identity, Session } from '@repopulse/web/session.js';
import { h } from '@repopulse/web/elements.js';

export interface ShellOptions {
  root: HTMLElement;
  pages: readonly PageDefinition[];
  router: Router;
  session: Session;
  identity: Identity;
  /** The session ended (log out, or the API answered 401): back to the login form. */
  onSignedOut(message?: string): void;
}

/** The admin UI's frame: skip link, header, navigation, the current page, and a polite status region. */
export function startShell(options: ShellOptions): void {
  const { root, pages, router, session, identity } = options;
  const status = createStatusRegion();
  const { announce } = status;

  let signedOut = false;
  const signOut = (message?: string) => {
    if (signedOut) return;
    signedOut = true;
    leave();
    session.logOut();
    options.onSignedOut(message);
  };
  const api = createHttpClient({
    baseUrl: '/admin/api',
    token: session.token,
    onUnauthorised: () => signOut('Your session has ended. Please log in again.'),
  });

  const links = pages.map((page) =>
    h('a', { href: `/admin/${page.path}`, 'data-path': page.path }, page.title),
  );
  const main = h('main', { id: 'main', tabindex: -1 });
  renderShellFrame(root, {
    brand: h('span', { class: 'brand' }, 'Repo Pulse ', h('span', { class: 'brand-sub' }, 'admin')),
    navLabel: 'Admin sections',
    links,
    main,
    status: status.element,
    identity,
    onLogOut: () => signOut(),
  });

  let cleanups: (() => void)[] = [];
  function leave(): void {
    for (const cleanup of cleanups) cleanup();
    cleanups = [];
  }

  function show(focus: boolean): void {
    leave();
    const route = router.current();
    const page = pages.find((candidate) => candidate.path === route.path);
    if (!page) {
      router.navigate(pages[0]!.path, { replace: true });
      return;
    }
    document.title = `${page.title} — Repo Pulse admin`;
    for (const link of links) {
      if (link.dataset.path === page.path) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    const context: PageContext = {
      api,
      identity,
      query: route.query,
      navigate: (path) => router.navigate(path),
      announce,
      onLeave: (cleanup) => cleanups.push(cleanup),
    };
    main.replaceChildren();
    page.render(main, context);
    if (focus) main.querySelector<HTMLElement>('h1')?.focus();
  }

  router.listen(() => {
    if (!signedOut) show(true);
  });
  show(false);
}

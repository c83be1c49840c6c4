import { createStatusRegion, renderShellFrame } from '@repopulse/web/shell-frame.js';
import { createHttpClient, withQuery } from '@repopulse/web/http-client.js';
import type { DashboardContext, ViewState } from './dashboards/dashboard.js';
import { viewFor, type View } from './dashboards/routes.js';
import type { Router } from './router.js';
import type { Identity, Session } from '@repopulse/web/session.js';
import { h, replaceChildren, uniqueId } from '@repopulse/web/elements.js';
import { errorState, loadingState } from '@repopulse/web/states.js';

export interface ShellOptions {
  root: HTMLElement;
  router: Router;
  session: Session;
  identity: Identity;
  /** The session ended (log out, or the API answered 401): back to the login form. */
  onSignedOut(message?: string): void;
}

const sections: ReadonlyArray<{ section: View['section']; href: string; title: string }> = [
  { section: 'trends', href: '/trends', title: 'Trends' },
  { section: 'compare', href: '/compare', title: 'Compare' },
  { section: 'search', href: '/search', title: 'Search' },
];

function searchForm(navigate: (url: string) => void): HTMLFormElement {
  const id = uniqueId('site-search');
  const input = h('input', {
    id,
    type: 'search',
    name: 'q',
    placeholder: 'owner or repository',
    autocomplete: 'off',
    required: true,
  });
  return h(
    'form',
    {
      role: 'search',
      class: 'site-search',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const q = input.value.trim();
        if (q) navigate(withQuery('/search', { q }));
      },
    },
    h('label', { for: id }, 'Search repositories and organisations'),
    input,
    h('button', { type: 'submit' }, 'Search'),
  );
}

/** The analyst UI's frame: skip link, header with search, navigation, the current view, a status region. */
export function startShell(options: ShellOptions): void {
  const { root, router, session, identity } = options;
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
    baseUrl: '/api/v1',
    token: session.token,
    // The read API's answers are cacheable for a minute (with ETags and Vary: Accept).
    cacheGets: true,
    onUnauthorised: () => signOut('Your session has ended. Please log in again.'),
  });

  const links = sections.map((entry) =>
    h('a', { href: entry.href, 'data-section': entry.section }, entry.title),
  );
  const main = h('main', { id: 'main', tabindex: -1, 'data-state': 'loading' });
  renderShellFrame(root, {
    brand: h('a', { class: 'brand', href: '/trends' }, 'Repo Pulse'),
    headerMiddle: searchForm((url) => router.navigate(url)),
    navLabel: 'Dashboards',
    links,
    main,
    status: status.element,
    identity,
    onLogOut: () => signOut(),
  });

  let cleanups: (() => void)[] = [];
  let visit = 0;
  function leave(): void {
    visit += 1;
    for (const cleanup of cleanups) cleanup();
    cleanups = [];
    // A message about the view being left ("Downloaded … as CSV") is not about the next one.
    status.clear();
  }

  async function show(focus: boolean): Promise<void> {
    leave();
    const thisVisit = visit;
    const route = router.current();
    const view = viewFor(route);
    for (const link of links) {
      if (link.dataset.section === view.section) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    const setState = (state: ViewState) => {
      if (visit === thisVisit) main.dataset.state = state;
    };
    setState('loading');
    replaceChildren(main, loadingState('the dashboard'));
    const context: DashboardContext = {
      api,
      route,
      record: (path, query, recordOptions) => router.record(withQuery(path, query), recordOptions),
      navigate: (url) => router.navigate(url),
      setState,
      setTitle: (title) => {
        if (visit === thisVisit) document.title = `${title} — Repo Pulse`;
      },
      announce,
      onLeave: (cleanup) => cleanups.push(cleanup),
      isCurrent: () => visit === thisVisit && !signedOut,
    };
    let dashboard;
    try {
      dashboard = await view.load();
    } catch (error) {
      if (visit !== thisVisit) return;
      // A new version was deployed and the old chunk is gone, or the network failed.
      replaceChildren(
        main,
        errorState(error, () => location.reload()),
      );
      setState('error');
      return;
    }
    if (visit !== thisVisit) return;
    main.replaceChildren();
    dashboard.render(main, context);
    if (focus) main.querySelector<HTMLElement>('h1')?.focus();
  }

  router.listen(() => {
    if (!signedOut) void show(true);
  });
  void show(false);
}

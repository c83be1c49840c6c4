import { h, replaceChildren, type Child } from './elements.js';
import type { Identity } from './session.js';

/**
 * A panel's frame once signed in: a skip link to the content, the top bar (the brand, whatever the panel
 * puts beside it, who is signed in and "Log out"), the navigation, the `<main>` the pages are drawn into
 * and the polite status region. The panel keeps `main` and `status` and fills them.
 */
export function renderShellFrame(
  root: HTMLElement,
  options: {
    brand: Child;
    /** Between the brand and the signed-in user (the analyst UI's search). */
    headerMiddle?: Child;
    /** The navigation's accessible name ("Dashboards", "Admin sections"). */
    navLabel: string;
    links: readonly HTMLElement[];
    main: HTMLElement;
    status: HTMLElement;
    identity: Identity;
    onLogOut(): void;
  },
): void {
  const { main } = options;
  const skipToMain = (event: Event) => {
    event.preventDefault();
    main.focus();
  };
  replaceChildren(
    root,
    h('a', { class: 'skip-link', href: '#main', onclick: skipToMain }, 'Skip to content'),
    h(
      'header',
      { class: 'top-bar' },
      options.brand,
      options.headerMiddle ?? null,
      h(
        'div',
        { class: 'who' },
        h('span', {}, 'Signed in as ', h('strong', {}, options.identity.name)),
        h('button', { type: 'button', onclick: () => options.onLogOut() }, 'Log out'),
      ),
    ),
    h(
      'div',
      { class: 'layout' },
      h(
        'nav',
        { 'aria-label': options.navLabel },
        h(
          'ul',
          {},
          options.links.map((link) => h('li', {}, link)),
        ),
      ),
      main,
    ),
    options.status,
  );
}

/** The polite status region: a short message shown for six seconds and read out by screen readers. */
export interface StatusRegion {
  element: HTMLElement;
  announce(message: string): void;
  /** Hides the message now (it was about a view that is gone). */
  clear(): void;
}

export function createStatusRegion(): StatusRegion {
  const element = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const clear = () => {
    if (timer) clearTimeout(timer);
    element.classList.remove('visible');
  };
  return {
    element,
    announce(message) {
      element.textContent = message;
      element.classList.add('visible');
      if (timer) clearTimeout(timer);
      timer = setTimeout(clear, 6000);
    },
    clear,
  };
}

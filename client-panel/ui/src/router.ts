/**
 * Routes are the paths of the dashboards (`/organizations/acme`, `/trends?window=90d`); the client panel
 * answers index.html for every one of them, so a reload or a shared link lands on the same view. What a
 * dashboard shows (filters, window, interval) lives in the query string: the URL is the deep link.
 */
export interface Route {
  /** The path's segments, decoded: `['repositories', 'acme', 'widgets']`. */
  segments: string[];
  query: URLSearchParams;
}

export interface Router {
  current(): Route;
  /** Goes to another view: listeners draw it. */
  navigate(url: string, options?: { replace?: boolean }): void;
  /** Records the state the current view already shows in the URL (no redraw); `push` makes a history step. */
  record(url: string, options?: { push?: boolean }): void;
  /** Calls `listener` on every change of view (links, back and forward). */
  listen(listener: (route: Route) => void): void;
}

// Paths the permission proxy sends elsewhere: links to them are real page loads.
const foreignPrefixes = ['/admin', '/api/', '/auth/', '/ingest/'];

function isOwnPath(pathname: string): boolean {
  return !foreignPrefixes.some((prefix) => pathname === prefix || pathname.startsWith(prefix));
}

export function createRouter(): Router {
  let listener: ((route: Route) => void) | undefined;

  const current = (): Route => ({
    segments: location.pathname
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => decodeURIComponent(segment)),
    query: new URLSearchParams(location.search),
  });

  const navigate = (url: string, options: { replace?: boolean } = {}) => {
    if (options.replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    listener?.(current());
  };

  const record = (url: string, options: { push?: boolean } = {}) => {
    if (url === `${location.pathname}${location.search}`) return;
    if (options.push) history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  };

  window.addEventListener('popstate', () => listener?.(current()));
  // Plain links inside the UI change the view without reloading; modified clicks open tabs as usual.
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = (event.target as Element | null)?.closest?.('a');
    if (!link || link.target || link.hasAttribute('download') || link.origin !== location.origin) return;
    if (!isOwnPath(link.pathname) || link.getAttribute('href')?.startsWith('#')) return;
    event.preventDefault();
    navigate(`${link.pathname}${link.search}`);
  });

  return { current, navigate, record, listen: (next) => (listener = next) };
}

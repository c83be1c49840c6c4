/**
 * Routes are paths under the UI's base (`/admin/sources`, `/admin/dead-letters?queue=crawl.repo`); the
 * admin panel answers index.html for every one of them, so a reload or a shared link lands on its page.
 */
export interface Route {
  /** The path below the base without slashes: `sources`, `crawl-runs`. */
  path: string;
  query: URLSearchParams;
}

export interface Router {
  current(): Route;
  navigate(path: string, options?: { replace?: boolean }): void;
  /** Calls `listener` on every change of route (links, back and forward). */
  listen(listener: (route: Route) => void): void;
}

export function createRouter(base: string): Router {
  let listener: ((route: Route) => void) | undefined;

  const current = (): Route => {
    const path = location.pathname.startsWith(base) ? location.pathname.slice(base.length) : '';
    return { path: path.replace(/^\/+|\/+$/g, ''), query: new URLSearchParams(location.search) };
  };

  const navigate = (path: string, options: { replace?: boolean } = {}) => {
    const url = `${base}${path.replace(/^\//, '')}`;
    if (options.replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    listener?.(current());
  };

  window.addEventListener('popstate', () => listener?.(current()));
  // Plain links inside the UI change the page without reloading it; modified clicks open tabs as usual.
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = (event.target as Element | null)?.closest?.('a');
    if (!link || link.target || link.hasAttribute('download') || link.origin !== location.origin) return;
    if (!link.pathname.startsWith(base)) return;
    event.preventDefault();
    navigate(`${link.pathname.slice(base.length)}${link.search}`);
  });

  return { current, navigate, listen: (next) => (listener = next) };
}

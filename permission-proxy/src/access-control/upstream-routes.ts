/** Where each part of the public URL space goes (docs/DESIGN.md, "Public URL space"). */
export type UpstreamService = 'input-gateway' | 'output-gateway' | 'admin-panel' | 'client-panel';

export type Upstreams = Record<UpstreamService, string>;

export type RouteTarget = { kind: 'proxy' } | { kind: 'upstream'; service: UpstreamService; path: string };

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** Maps a public path onto the service that answers it and the path there. */
export function routeTargetFor(pathname: string, search: string): RouteTarget {
  if (under(pathname, '/auth')) return { kind: 'proxy' };
  if (under(pathname, '/ingest'))
    return {
      kind: 'upstream',
      service: 'input-gateway',
      path: `${pathname.slice('/ingest'.length) || '/'}${search}`,
    };
  if (under(pathname, '/api'))
    return {
      kind: 'upstream',
      service: 'output-gateway',
      path: `${pathname.slice('/api'.length) || '/'}${search}`,
    };
  if (under(pathname, '/admin/api'))
    return {
      kind: 'upstream',
      service: 'admin-panel',
      path: `/api${pathname.slice('/admin/api'.length)}${search}`,
    };
  if (under(pathname, '/admin'))
    return { kind: 'upstream', service: 'admin-panel', path: `${pathname}${search}` };
  return { kind: 'upstream', service: 'client-panel', path: `${pathname}${search}` };
}

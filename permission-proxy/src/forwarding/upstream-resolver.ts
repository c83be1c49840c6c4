export interface ResolvedUpstream {
  /** http-proxy's target: the upstream's origin, parsed once. */
  target: { protocol: 'http:' | 'https:'; host: string; hostname: string; port: number };
  /** A path the base URL carries (`http://panel:3003/ui`), put before every forwarded path. */
  pathPrefix: string;
  /** How errors name the upstream: `output-gateway service`, or `upstream service` when unnamed. */
  service: string;
}

/**
 * Parses each upstream base URL once (they are a handful of configured values) and names it from the
 * configured services.
 */
export function createUpstreamResolver(
  upstreams: Record<string, string>,
): (base: string) => ResolvedUpstream {
  const serviceByOrigin = new Map<string, string>();
  for (const [service, base] of Object.entries(upstreams)) serviceByOrigin.set(new URL(base).origin, service);
  const resolved = new Map<string, ResolvedUpstream>();

  return (base) => {
    let upstream = resolved.get(base);
    if (upstream) return upstream;
    const url = new URL(base);
    const protocol = url.protocol;
    if (protocol !== 'http:' && protocol !== 'https:') {
      throw new Error(`Upstream ${base} is neither an http:// nor an https:// URL`);
    }
    // WHATWG URLs keep IPv6 literals in brackets; net.connect wants them bare.
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const service = serviceByOrigin.get(url.origin);
    upstream = {
      target: {
        protocol,
        host: hostname,
        hostname,
        port: Number(url.port || (protocol === 'https:' ? 443 : 80)),
      },
      pathPrefix: url.pathname.replace(/\/+$/, ''),
      service: service ? `${service} service` : 'upstream service',
    };
    resolved.set(base, upstream);
    return upstream;
  };
}

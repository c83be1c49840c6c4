import type { Queryable } from '../db/index.js';
import { UnavailableError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { canonicalHost, isAddressLiteral, isLocalhostName } from './address-range.js';

export interface AllowedCrawlHost {
  host: string;
  addedBy: string | null;
  addedAt: Date;
}

/**
 * Why a host cannot go on the allowlist, or undefined when it can. Exact host names only: no wildcards
 * (a `*.example.org` would let anyone who can create a subdomain point it anywhere), no addresses and no
 * names of this machine (suppliers never reach those), and at least one dot (a single label is resolved
 * through the search domains, i.e. inside the network).
 */
export function crawlHostProblem(host: string): string | undefined {
  if (host.includes('*')) return 'must be an exact host name: wildcards are not supported';
  if (/[:/@?#\s]/.test(host)) return 'must be a host name only, without scheme, port, path or user';
  const canonical = canonicalHost(host);
  if (canonical === '') return 'must be a host name: letters, digits, dots and dashes';
  if (isAddressLiteral(canonical)) return 'must be a host name, not an address';
  if (isLocalhostName(canonical)) return 'must not name this machine (localhost)';
  const label = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
  if (!canonical.includes('.') || !canonical.split('.').every((part) => label.test(part))) {
    return 'must be a fully qualified host name such as git.example.org';
  }
  return undefined;
}

/** The host as stored and compared: lower case, no trailing dot. */
export const allowlistHost = canonicalHost;

export async function listAllowedCrawlHosts(database: Queryable): Promise<AllowedCrawlHost[]> {
  const { rows } = await database.query<AllowedCrawlHost>(
    `SELECT crawl_host_allowlist.host, crawl_host_allowlist.added_by AS "addedBy",
            crawl_host_allowlist.added_at AS "addedAt"
       FROM crawl_host_allowlist ORDER BY crawl_host_allowlist.host`,
  );
  return rows;
}

/** Adds a host (already checked by `crawlHostProblem`); undefined when it was there already. */
export async function addAllowedCrawlHost(
  transaction: Queryable,
  host: string,
  addedBy: string | null,
): Promise<AllowedCrawlHost | undefined> {
  const { rows } = await transaction.query<AllowedCrawlHost>(
    `INSERT INTO crawl_host_allowlist (host, added_by) VALUES ($1, $2) ON CONFLICT (host) DO NOTHING
     RETURNING host, added_by AS "addedBy", added_at AS "addedAt"`,
    [allowlistHost(host), addedBy],
  );
  return rows[0];
}

export async function removeAllowedCrawlHost(transaction: Queryable, host: string): Promise<boolean> {
  const { rowCount } = await transaction.query(`DELETE FROM crawl_host_allowlist WHERE host = $1`, [
    allowlistHost(host),
  ]);
  return (rowCount ?? 0) > 0;
}

/**
 * The allowlist as the crawl target policy reads it: the whole (short) list, reloaded at most once per
 * `cacheTtlMs`, so an admin's edit takes effect within it and a burst of requests costs one query. When
 * the database cannot be read, the last list read is used; with none yet, the caller gets a 503.
 */
export function createCrawlHostAllowlistReader(options: {
  database: Queryable;
  cacheTtlMs: number;
  logger: Logger;
  now?: () => number;
}): () => Promise<ReadonlySet<string>> {
  const now = options.now ?? Date.now;
  let hosts: ReadonlySet<string> | undefined;
  let nextLoadAt = 0;
  let loading: Promise<void> | undefined;

  async function load(): Promise<void> {
    try {
      hosts = new Set((await listAllowedCrawlHosts(options.database)).map((row) => row.host));
      nextLoadAt = now() + options.cacheTtlMs;
    } catch (error) {
      nextLoadAt = now() + Math.min(options.cacheTtlMs, 5_000);
      options.logger.warn('crawl host allowlist could not be read', { error });
      if (!hosts) throw new UnavailableError('The crawl host allowlist cannot be read now');
    }
  }

  return async () => {
    if (now() >= nextLoadAt || !hosts) {
      loading ??= load().finally(() => (loading = undefined));
      await loading;
    }
    return hosts!;
  };
}

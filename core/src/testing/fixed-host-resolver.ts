import type { HostResolver } from '../sources/index.js';

/** A fixed table of names for the crawl target policy in tests: a name not in it does not resolve. */
export function fixedHostResolver(table: Record<string, string[]>): HostResolver {
  return async (host) => {
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`${host} is not in the table`), { code: 'ENOTFOUND' });
    return addresses;
  };
}

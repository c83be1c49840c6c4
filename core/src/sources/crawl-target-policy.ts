import {
  addressRange,
  canonicalHost,
  isAddressLiteral,
  isLocalhostName,
  rangeInWords,
} from './address-range.js';
import { classifyGitTarget, type GitTarget } from './git-target.js';
import { systemHostResolver, type HostResolver } from './host-resolver.js';

/**
 * Who names the target, which decides what it may be (docs/DESIGN.md, "Repositories and sources"):
 * - `supplier`: a crawl request through the input gateway — https to a host on the admins' allowlist,
 *   every address it resolves to public;
 * - `admin-source`: a source an admin added — https, http, ssh or git to public addresses; local paths,
 *   `file://` and private or loopback addresses only with GIT_ALLOW_LOCAL=1;
 * - `configuration`: a clone URL the engine got from the configured GitHub API (GITHUB_API_URL is the
 *   operator's choice, a GitHub Enterprise Server may well be private) — any address, local paths only
 *   with GIT_ALLOW_LOCAL=1.
 * Nobody gets git's remote helpers (`ext::sh -c …` runs a command) or transports beyond these five.
 */
export type CrawlTargetCaller = 'supplier' | 'admin-source' | 'configuration';

export type CrawlTargetDecision =
  | {
      allowed: true;
      target: GitTarget;
      /** Every address the host resolved to, all checked (none for local targets). */
      addresses: string[];
      /** A local path or file:// URL: git's `file` transport. */
      local: boolean;
    }
  | {
      allowed: false;
      /** Why, in words fit for a 422 or a failed crawl run; names the target's host, never credentials. */
      reason: string;
      /** The host could not be resolved just now (not: it does not exist); worth asking again later. */
      transient?: boolean;
    };

export interface CrawlTargetPolicyOptions {
  /** GIT_ALLOW_LOCAL: local paths, file:// and private addresses for admin-added sources. */
  allowLocal: boolean;
  /** The hosts suppliers may name (the admins' allowlist), canonical lower case. */
  allowedHosts?: () => Promise<ReadonlySet<string>>;
  /** Name resolution; the system resolver by default. */
  resolveHost?: HostResolver;
  /**
   * Tests only, never set from configuration: addresses to count as public, so a server on 127.0.0.1 can
   * play a public forge (and a redirect from it to another loopback address can be refused).
   */
  publicAddressesForTests?: readonly string[];
}

export interface CrawlTargetPolicy {
  check(text: string, caller: CrawlTargetCaller): Promise<CrawlTargetDecision>;
}

const transports = new Set(['https', 'http', 'ssh', 'git', 'file']);
const localHint = 'allowed only for sources an admin adds, and only with GIT_ALLOW_LOCAL=1';

export function createCrawlTargetPolicy(options: CrawlTargetPolicyOptions): CrawlTargetPolicy {
  const resolveHost = options.resolveHost ?? systemHostResolver;
  const publicForTests = new Set((options.publicAddressesForTests ?? []).map(canonicalHost));
  const rangeOf = (address: string) =>
    publicForTests.has(canonicalHost(address)) ? 'unicast' : addressRange(address);

  async function resolve(target: GitTarget): Promise<{ addresses: string[] } | CrawlTargetDecision> {
    const host = target.host!;
    if (isAddressLiteral(host)) return { addresses: [host] };
    try {
      const addresses = await resolveHost(host);
      if (addresses.length === 0) return refuse(`the host "${host}" resolves to no address`);
      return { addresses };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTFOUND' || code === 'ENODATA') return refuse(`the host "${host}" does not resolve`);
      return {
        allowed: false,
        reason: `the host "${host}" could not be resolved now (${code})`,
        transient: true,
      };
    }
  }

  /** The first address that is not public, in words, or undefined when every one is. */
  function privateAddress(target: GitTarget, addresses: string[]): string | undefined {
    const host = target.host!;
    if (isLocalhostName(host)) return `the host "${host}" names this machine`;
    for (const address of addresses) {
      const range = rangeOf(address);
      if (range !== 'unicast') {
        const shown = address === host ? `"${host}" is` : `the host "${host}" resolves to`;
        return `${shown} ${rangeInWords(range)}${address === host ? '' : ` (${address})`}`;
      }
    }
    return undefined;
  }

  async function checkSupplier(target: GitTarget): Promise<CrawlTargetDecision> {
    if (target.transport !== 'https') {
      return refuse(
        `uses ${target.transport}: suppliers' crawl requests take https URLs of allowed hosts only`,
      );
    }
    if (target.hasCredentials) return refuse('must not carry a user name or password');
    if (target.hasQueryOrFragment) return refuse('must not have a query or a fragment');
    if (target.port !== 443) return refuse(`names port ${target.port}: suppliers' URLs use https's port 443`);
    const host = target.host!;
    if (isAddressLiteral(host))
      return refuse(`names the address "${host}": suppliers must name an allowed host`);
    if (isLocalhostName(host)) return refuse(`the host "${host}" names this machine`);
    const allowed = (await options.allowedHosts?.()) ?? new Set<string>();
    if (!allowed.has(host)) {
      return refuse(
        `the host "${host}" is not on the crawl host allowlist (admins keep it in the admin panel)`,
      );
    }
    const resolved = await resolve(target);
    if ('allowed' in resolved) return resolved;
    const problem = privateAddress(target, resolved.addresses);
    if (problem) return refuse(`${problem}: suppliers' crawl requests reach public addresses only`);
    return { allowed: true, target, addresses: resolved.addresses, local: false };
  }

  async function checkTrusted(target: GitTarget, caller: CrawlTargetCaller): Promise<CrawlTargetDecision> {
    if (target.transport === 'file') {
      if (!options.allowLocal) return refuse(`is a local path or file:// URL: ${localHint}`);
      return { allowed: true, target, addresses: [], local: true };
    }
    const mayBePrivate = caller === 'configuration' || options.allowLocal;
    if (isLocalhostName(target.host!) && !mayBePrivate) {
      return refuse(`the host "${target.host}" names this machine: ${localHint}`);
    }
    // The configured GitHub API may name a private host (an Enterprise Server): trusted, but still
    // resolved so git can be pinned to what was resolved.
    const resolved = await resolve(target);
    if ('allowed' in resolved) return resolved;
    const problem = privateAddress(target, resolved.addresses);
    if (problem && !mayBePrivate) return refuse(`${problem}: ${localHint}`);
    return { allowed: true, target, addresses: resolved.addresses, local: false };
  }

  return {
    async check(text, caller) {
      const target = classifyGitTarget(text);
      if (!target) return refuse('cannot be read as a git URL or path');
      if (target.transport === 'helper') {
        return refuse(
          "uses git's remote-helper syntax (transport::address), which can run programs; never crawled",
        );
      }
      if (!transports.has(target.transport)) {
        return refuse('uses a transport that is not crawled (https, http, ssh, git and local paths only)');
      }
      return caller === 'supplier' ? checkSupplier(target) : checkTrusted(target, caller);
    },
  };
}

function refuse(reason: string): CrawlTargetDecision {
  return { allowed: false, reason };
}

import type { CrawlTargetCaller, CrawlTargetPolicy, GitTarget } from '@repopulse/core';
import { CrawlTargetRefusedError } from './crawl-target-refused-error.js';
import { followRedirects } from './redirect-preflight.js';

export { CrawlTargetRefusedError };

/** A remote as git may reach it: the URL after checked redirects, its one transport, its pinned address. */
export interface GitRemote {
  /** What git is given: the target as checked, or where its checked redirects ended. */
  url: string;
  allowedProtocol: 'https' | 'http' | 'ssh' | 'git' | 'file';
  /** `-c` settings for the commands that reach the remote: `http.curloptResolve` pins the address. */
  configuration: Record<string, string>;
}

export interface GitRemoteGuard {
  /** Checks a target for a caller, follows its redirects (each checked), and pins what it resolved to. */
  remoteFor(gitUrl: string, caller: CrawlTargetCaller, signal?: AbortSignal): Promise<GitRemote>;
}

const maxRedirects = 5;

/**
 * Defence in depth at clone and fetch time, whatever the gateway or the admin panel checked before:
 * 1. the target is checked again by the crawl target policy for who named it (a refusal is permanent; a
 *    resolver that cannot answer now is an ordinary, retried error);
 * 2. over http(s), redirects are followed here, not by git: a pre-flight `GET …/info/refs` with redirects
 *    handled by hand, each hop checked like the target and connected to the address just checked; git then
 *    runs on the final URL with `http.followRedirects=false`, so a redirect it meets later is an error;
 * 3. git connects to the address that was checked (`http.curloptResolve`), so DNS answering differently a
 *    moment later (rebinding) changes nothing; ssh and git:// resolve for themselves — those are for admins'
 *    sources only, checked the same way just before;
 * 4. git may use that one transport only (`git-command.ts`: protocol.allow=never, GIT_ALLOW_PROTOCOL).
 */
export function createGitRemoteGuard(options: {
  policy: CrawlTargetPolicy;
  timeoutMs?: number;
}): GitRemoteGuard {
  const { policy } = options;
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function checked(gitUrl: string, caller: CrawlTargetCaller) {
    const decision = await policy.check(gitUrl, caller);
    if (decision.allowed) return decision;
    if (decision.transient) throw new Error(`the git target cannot be checked now: ${decision.reason}`);
    throw new CrawlTargetRefusedError(decision.reason);
  }

  return {
    async remoteFor(gitUrl, caller, signal) {
      let decision = await checked(gitUrl, caller);
      const transport = decision.target.transport as GitRemote['allowedProtocol'];
      if (transport !== 'https' && transport !== 'http') {
        return { url: decision.target.gitUrl, allowedProtocol: transport, configuration: {} };
      }
      for (let hop = 0; ; hop++) {
        const address = decision.addresses[0]!;
        const next = await followRedirects(decision.target, address, { timeoutMs, signal });
        if (next === undefined) {
          return {
            url: decision.target.gitUrl,
            allowedProtocol: transport,
            configuration: pin(decision.target, address),
          };
        }
        if (hop >= maxRedirects) throw new CrawlTargetRefusedError(`more than ${maxRedirects} redirects`);
        if (transport === 'https' && !/^https:/i.test(next)) {
          throw new CrawlTargetRefusedError(
            `redirected from https to ${next.split(':')[0]}, which is not followed`,
          );
        }
        try {
          decision = await checked(next, caller);
        } catch (error) {
          if (error instanceof CrawlTargetRefusedError) {
            throw new CrawlTargetRefusedError(`redirected to ${new URL(next).host}: ${error.reason}`);
          }
          throw error;
        }
      }
    },
  };
}

/** curl's `host:port:address`; a host that is an address needs no pin. */
function pin(target: GitTarget, address: string): Record<string, string> {
  const host = target.host!;
  if (host === address) return {};
  const shown = address.includes(':') ? `[${address}]` : address;
  return { 'http.curloptResolve': `${host}:${target.port}:${shown}` };
}

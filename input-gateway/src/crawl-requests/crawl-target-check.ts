import {
  SchemaViolationError,
  UnavailableError,
  type CrawlTargetDecision,
  type CrawlTargetPolicy,
} from '@repopulse/core';

export interface CheckedCrawlTarget {
  /** What the engine is to clone: the URL as checked (host canonical). */
  gitUrl: string;
  /** Set when the target is an admin-added source's: the engine re-checks that row. */
  sourceId?: string;
}

export interface CrawlTargetCheckOptions {
  policy: CrawlTargetPolicy;
  /** The crawl host allowlist (the one the policy reads too). */
  allowedHosts: () => Promise<ReadonlySet<string>>;
  /** GIT_ALLOW_LOCAL on the gateway. */
  allowLocal: boolean;
  /** The admin-added `git` source with this target (case aside), if there is one. */
  findGitSource: (target: string) => Promise<{ id: string; target: string } | undefined>;
}

/**
 * What a crawl request may name (docs/DESIGN.md, "Repositories and sources"). Anyone: an https URL of an
 * allowlisted host resolving to public addresses. An admin, with GIT_ALLOW_LOCAL=1, also the target of a
 * `git` source an admin added (a local path, a private address): the message then names that source, and
 * the engine crawls a local or private target only for a source whose row it finds. Refusals are 422 at
 * `/target` with the reason; a resolver that cannot answer now is 503.
 */
export function createCrawlTargetCheck(options: CrawlTargetCheckOptions) {
  const { policy } = options;
  return {
    /**
     * A GitHub repository or owner named by name: the engine reaches it through the configured GitHub
     * API (GITHUB_API_URL) and clones the URL that API names, never one derived from the request, so
     * only the allowlist applies (github.com on it); there is no supplier's address to resolve.
     */
    async github(): Promise<void> {
      if (!(await options.allowedHosts()).has('github.com')) {
        refuse(
          'the host "github.com" is not on the crawl host allowlist (admins keep it in the admin panel)',
        );
      }
    },
    url: (target: string, roles: readonly string[]) => checkUrl(target, roles),
  };

  async function checkUrl(target: string, roles: readonly string[]): Promise<CheckedCrawlTarget> {
    const asSupplier = await policy.check(target, 'supplier');
    if (asSupplier.allowed) return { gitUrl: asSupplier.target.gitUrl };
    throwIfTransient(asSupplier);
    if (roles.includes('admin') && options.allowLocal) {
      const asSource = await policy.check(target, 'admin-source');
      throwIfTransient(asSource);
      const source = asSource.allowed ? await options.findGitSource(target) : undefined;
      // The source's own spelling of the target: the engine compares it with the row exactly.
      if (source) return { gitUrl: source.target, sourceId: source.id };
      refuse(
        asSource.allowed
          ? `${asSupplier.reason}; an admin may crawl it once it is added as a git source in the admin panel`
          : asSource.reason,
      );
    }
    refuse(asSupplier.reason);
  }
}

function throwIfTransient(decision: CrawlTargetDecision): void {
  if (!decision.allowed && decision.transient) throw new UnavailableError(decision.reason);
}

function refuse(reason: string): never {
  throw new SchemaViolationError(`The target cannot be crawled: ${reason}`, [
    { path: '/target', message: reason },
  ]);
}

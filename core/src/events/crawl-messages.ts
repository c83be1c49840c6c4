/**
 * Payloads of the crawl queues: what the input gateway, the admin panel and cron publish and the
 * engine's crawlers consume.
 */

/** `crawl.repo`: crawl one repository (GitHub API for github.com, git history for any git URL). */
export interface CrawlRepositoryPayload {
  host: string;
  owner: string;
  name: string;
  /** For plain git sources: where to clone from. GitHub repositories are cloned from their canonical URL. */
  gitUrl?: string;
  /** The crawl run this belongs to, when an admin or cron started it (else the engine starts one). */
  crawlRunId?: string;
  requestedBy?: string;
  /** The source being crawled, when a schedule or an admin started the crawl from one. */
  sourceId?: string;
  /** Set by `crawl.org` when its listing already stored the repository's metadata moments ago. */
  metadataFetched?: boolean;
}

/** `crawl.org`: list every repository of a GitHub organisation or user, one `crawl.repo` each. */
export interface CrawlOrganizationPayload {
  host: string;
  login: string;
  /** `github-user` for a user's repositories; an organisation by default. */
  kind?: 'github-org' | 'github-user';
  crawlRunId?: string;
  requestedBy?: string;
  sourceId?: string;
}

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
  /** The crawl run this belongs to, when an admin or cron started it. */
  crawlRunId?: string;
  requestedBy?: string;
}

/** `crawl.org`: list every repository of a GitHub organisation or user, one `crawl.repo` each. */
export interface CrawlOrganizationPayload {
  host: string;
  login: string;
  crawlRunId?: string;
  requestedBy?: string;
}

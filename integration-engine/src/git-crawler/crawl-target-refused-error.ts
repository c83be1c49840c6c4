/**
 * The crawl target policy refused a git target, or where a redirect of it points: crawling it again will
 * not help, so the crawl fails for good with the reason (`crawl-failures.ts`).
 */
export class CrawlTargetRefusedError extends Error {
  constructor(readonly reason: string) {
    super(`the git target may not be crawled: ${reason}`);
    this.name = 'CrawlTargetRefusedError';
  }
}

export { cronScheduleProblem } from './cron-schedule.js';
export { crawlMessageForSource, startSourceCrawl } from './source-crawl.js';
export type { CrawlableSource, CrawlTrigger, SourceKind } from './source-crawl.js';

export { cronScheduleProblem } from './cron-schedule.js';
export { crawlMessageForSource, startSourceCrawl } from './source-crawl.js';
export type { CrawlableSource, CrawlTrigger } from './source-crawl.js';
export { parseSourceTarget, sourceKinds, sourceTargetProblem } from './source-target.js';
export type { SourceKind, SourceTarget } from './source-target.js';

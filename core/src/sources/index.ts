export { cronScheduleProblem } from './cron-schedule.js';
export { crawlMessageForSource, startSourceCrawl } from './source-crawl.js';
export type { CrawlableSource, CrawlTrigger } from './source-crawl.js';
export { parseSourceTarget, sourceKinds, sourceTargetProblem } from './source-target.js';
export type { SourceKind, SourceTarget } from './source-target.js';
export { createCrawlTargetPolicy } from './crawl-target-policy.js';
export type {
  CrawlTargetCaller,
  CrawlTargetDecision,
  CrawlTargetPolicy,
  CrawlTargetPolicyOptions,
} from './crawl-target-policy.js';
export { classifyGitTarget } from './git-target.js';
export type { GitTarget, GitTransport } from './git-target.js';
export { addressRange, canonicalHost, isAddressLiteral } from './address-range.js';
export { systemHostResolver } from './host-resolver.js';
export type { HostResolver } from './host-resolver.js';
export {
  addAllowedCrawlHost,
  allowlistHost,
  crawlHostProblem,
  createCrawlHostAllowlistReader,
  listAllowedCrawlHosts,
  removeAllowedCrawlHost,
} from './crawl-host-allowlist.js';
export type { AllowedCrawlHost } from './crawl-host-allowlist.js';

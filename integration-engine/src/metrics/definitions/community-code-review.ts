import type { MetricDefinition } from '../metric-definition.js';
import { known, unknown } from '../metric-definition.js';
import type { PullRequestFact } from '../repository-facts.js';
import { githubUnavailable } from './github-availability.js';
import { sortedByTime, windowRange } from './window-search.js';

/**
 * An APPROVED review by a non-author (GitHub does not let authors approve their own pull requests, so
 * `approved` is one), or a merge by someone other than the author. A merge by a bot (a merge queue) counts
 * as docs/METRICS.md words it: someone other than the author. An unknown merger (a deleted account) does not.
 */
const wasReviewed = (pullRequest: PullRequestFact): boolean =>
  pullRequest.approved || (pullRequest.mergedBy !== null && pullRequest.mergedBy !== pullRequest.author);

export const codeReviewRatio90d: MetricDefinition = {
  name: 'code_review_ratio_90d',
  version: 1,
  definition:
    "share of PRs merged in the window that were approved: an APPROVED review by a non-author, or merged by someone other than the author; bot-authored PRs that were approved are left out (as OpenSSF Scorecard's Code-Review does)",
  source: 'GitHub',
  compute(facts, now) {
    const unavailable = githubUnavailable(facts);
    if (unavailable) return unavailable;
    // A pull request merged after `now` was open then, so the window is on mergedAt. The approval flag is
    // the pull request's latest; approvals come before a merge, so it holds for any merged by `now`.
    const merged = sortedByTime(facts.pullRequests, 'mergedAt');
    const { start, end } = windowRange(merged, 'mergedAt', now, 90);
    let counted = 0;
    let reviewed = 0;
    for (let index = start; index < end; index++) {
      const pullRequest = merged[index]!;
      const isReviewed = wasReviewed(pullRequest);
      // Scorecard's Code-Review sets a bot's reviewed changesets apart from the human ones, so a reviewed
      // dependency bump raises nothing; both numerator and denominator leave them out. A bot's
      // unreviewed pull request stays in, as docs/METRICS.md words it.
      if (pullRequest.authorIsBot && isReviewed) continue;
      counted++;
      if (isReviewed) reviewed++;
    }
    return counted === 0 ? unknown('empty_window') : known(reviewed / counted);
  },
};

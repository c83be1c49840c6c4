import type { MetricDefinition } from '../metric-definition.js';
import { known, median, unknown } from '../metric-definition.js';
import type { RepositoryFacts } from '../repository-facts.js';
import { hoursRounded } from './durations.js';
import { githubUnavailable } from './github-availability.js';
import { windowRange } from './window-search.js';

// `firstResponseAt` is already the first comment, review or close by a person other than the author who
// is not a bot (the crawler leaves bots and the author out), so only its time is judged here. The items
// are issues and pull requests together; those authored by bots are included, as docs/METRICS.md asks for all
// issues and PRs opened in the window (a human answering a bot's PR is a response). A response at or after
// `now` has not happened yet at `now`: that item is unanswered in the backfilled series until then.
// A repository without an issue tracker still has pull requests, so only missing GitHub data makes these
// unknown.

const windowDays = 90;

interface ResponseCounts {
  opened: number;
  /** Milliseconds from creation to the first response, for the items answered before `now`. */
  responseTimes: number[];
}

function responsesInWindow(facts: RepositoryFacts, now: number): ResponseCounts {
  const counts: ResponseCounts = { opened: 0, responseTimes: [] };
  for (const items of [facts.issues, facts.pullRequests]) {
    const { start, end } = windowRange<{ createdAt: number | null; firstResponseAt: number | null }>(
      items,
      'createdAt',
      now,
      windowDays,
    );
    counts.opened += end - start;
    for (let index = start; index < end; index++) {
      const { createdAt, firstResponseAt } = items[index]!;
      if (firstResponseAt !== null && firstResponseAt < now)
        counts.responseTimes.push(firstResponseAt - createdAt!);
    }
  }
  return counts;
}

export const firstResponseMedianHours90d: MetricDefinition = {
  name: 'first_response_median_hours_90d',
  version: 1,
  definition:
    'over issues and PRs opened in the window that got a response: median time to the first comment, review or close by a person other than the author who is not a bot (CHAOSS "time to first response" / "issue response time")',
  source: 'GitHub',
  compute(facts, now) {
    const unavailable = githubUnavailable(facts);
    if (unavailable) return unavailable;
    const { opened, responseTimes } = responsesInWindow(facts, now);
    // Nothing opened: `empty_window`. Items opened but none answered: `no_responses`, which is worse news
    // than any median, and not a median of 0 hours.
    if (opened === 0) return unknown('empty_window');
    const middle = median(responseTimes);
    return middle === undefined ? unknown('no_responses') : known(hoursRounded(middle));
  },
};

export const unansweredShare90d: MetricDefinition = {
  name: 'unanswered_share_90d',
  version: 1,
  definition: 'share of the issues and PRs opened in the window with no such response yet',
  source: 'GitHub',
  compute(facts, now) {
    const unavailable = githubUnavailable(facts);
    if (unavailable) return unavailable;
    const { opened, responseTimes } = responsesInWindow(facts, now);
    return opened === 0 ? unknown('empty_window') : known((opened - responseTimes.length) / opened);
  },
};

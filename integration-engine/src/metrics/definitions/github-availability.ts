import type { MetricValue } from '../metric-definition.js';
import { unknown } from '../metric-definition.js';
import type { RepositoryFacts } from '../repository-facts.js';

/** Why a GitHub metric cannot be known for this repository, or undefined when it can. */
export function githubUnavailable(facts: RepositoryFacts): MetricValue | undefined {
  return facts.repository.onGithub ? undefined : unknown('no_github_data');
}

/**
 * Why an issue metric cannot be known, or undefined when it can. Only an explicit `hasIssues === false`
 * makes it unknown: null (not yet fetched) on a GitHub repository is read as having a tracker, whose
 * counts are then the issues we hold.
 */
export function issueTrackerUnavailable(facts: RepositoryFacts): MetricValue | undefined {
  return (
    githubUnavailable(facts) ??
    (facts.repository.hasIssues === false ? unknown('no_issue_tracker') : undefined)
  );
}

import type { FactChange } from '../facts/apply-fact-change.js';
import {
  objectArray,
  optionalString,
  requiredSha,
  requiredString,
  requiredTime,
  type WebhookObject,
} from './webhook-body-fields.js';

// A push payload names no parents, so a merge is recognised by the messages git and GitHub write for
// one. A merge with an edited message counts as a commit until the git crawler, which sees parents,
// rewrites `is_merge` for the same sha.
const mergeMessage = /^Merge (pull request|branch|remote-tracking branch) /;

/**
 * A push → its commits (`commits[]`, which GitHub caps at 20 per push; the git crawler fills in the
 * rest). `timestamp` is the author date. Commits with `distinct: false` were pushed before on another
 * branch; they are the same facts by sha, so writing them again changes nothing.
 *
 * docs/METRICS.md counts commits reachable from the default branch, so a push to any other ref (a feature
 * branch, a tag) adds no commits: they count when they reach the default branch. When the payload does
 * not name the default branch, the push is trusted.
 */
export function pushToCommits(body: WebhookObject): FactChange[] {
  const ref = requiredString(body, 'ref');
  const defaultBranch =
    optionalString(body, 'repository.default_branch') ?? optionalString(body, 'repository.master_branch');
  if (defaultBranch !== undefined && ref !== `refs/heads/${defaultBranch}`) return [];
  return (
    objectArray(body, 'commits')
      // In sha order, so two pushes sharing commits lock their rows in one order.
      // Read by their path in the body, so a refusal names /commits/3/timestamp.
      .map((_commit, index) => ({ at: `commits.${index}`, sha: requiredSha(body, `commits.${index}.id`) }))
      .sort((a, b) => a.sha.localeCompare(b.sha))
      .map(({ at, sha }): FactChange => {
        // A commit message may hold U+0000 (git stores bytes): read as text with U+FFFD in its place.
        const message = optionalString(body, `${at}.message`);
        return {
          kind: 'commit',
          fact: {
            sha,
            authoredAt: requiredTime(body, `${at}.timestamp`),
            authorName: optionalString(body, `${at}.author.name`),
            authorEmail: optionalString(body, `${at}.author.email`),
            authorLogin: optionalString(body, `${at}.author.username`),
            message,
            isMerge: message !== undefined && mergeMessage.test(message),
          },
        };
      })
  );
}

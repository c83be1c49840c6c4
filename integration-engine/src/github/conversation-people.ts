import type { GithubPerson } from '../people/upsert-github-people.js';
import type { ActorNode } from './conversation-fields-query.js';
import type { IssueNode } from './issues-query.js';
import type { PullRequestNode } from './pull-requests-query.js';

/**
 * The GitHub users among `actors` with their profile company (`ActorFields`): Users only, since bots,
 * organisations and mannequins have no company and are never a person's organisation; deleted accounts
 * (null) and actors without an id are left out.
 */
export function githubPeopleOf(actors: Iterable<ActorNode | null | undefined>): GithubPerson[] {
  const people: GithubPerson[] = [];
  for (const actor of actors) {
    if (actor?.__typename !== 'User' || !actor.databaseId || actor.company === undefined) continue;
    people.push({ githubId: actor.databaseId, login: actor.login, company: actor.company });
  }
  return people;
}

/** Everyone a pull request's first pages name: its author, merger, commenters, reviewers and closers. */
export function pullRequestActors(node: PullRequestNode): Array<ActorNode | null | undefined> {
  return [
    node.author,
    node.mergedBy,
    ...(node.comments.nodes ?? []).map((comment) => comment?.author),
    ...(node.reviews?.nodes ?? []).map((review) => review?.author),
    ...(node.approvals?.nodes ?? []).map((review) => review?.author),
    ...(node.closes.nodes ?? []).map((close) => close?.actor),
  ];
}

/** Everyone an issue's first pages name: its author, commenters and closers. */
export function issueActors(node: IssueNode): Array<ActorNode | null | undefined> {
  return [
    node.author,
    ...(node.comments.nodes ?? []).map((comment) => comment?.author),
    ...(node.closes.nodes ?? []).map((close) => close?.actor),
  ];
}

import { repositoryFromGitUrl } from '../events/repository-identity.js';
import type { RepositoryReference } from '../events/generic-event-types.js';

export const sourceKinds = ['github-org', 'github-user', 'github-repo', 'git'] as const;
export type SourceKind = (typeof sourceKinds)[number];

/** GitHub's rule for logins: letters, digits and single inner hyphens, at most 39 characters. */
const githubLogin = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const ownerAndName = /^([A-Za-z0-9._-]{1,100})\/([A-Za-z0-9._-]{1,100})$/;

export type SourceTarget =
  | { kind: 'github-org' | 'github-user'; login: string }
  | { kind: 'github-repo' | 'git'; repository: RepositoryReference };

/** What a source's target names, or undefined if it names nothing this kind of source can crawl. */
export function parseSourceTarget(kind: SourceKind, target: string): SourceTarget | undefined {
  if (kind === 'github-org' || kind === 'github-user') {
    return githubLogin.test(target) ? { kind, login: target } : undefined;
  }
  if (kind === 'github-repo') {
    const pair = ownerAndName.exec(target);
    if (!pair || pair[2] === '.' || pair[2] === '..') return undefined;
    return { kind, repository: { host: 'github.com', owner: pair[1]!, name: pair[2]! } };
  }
  const repository = repositoryFromGitUrl(target);
  return repository ? { kind, repository } : undefined;
}

/** Why a target does not suit its kind, in words fit for the admin form. */
export function sourceTargetProblem(kind: SourceKind, target: string): string | undefined {
  if (parseSourceTarget(kind, target)) return undefined;
  if (kind === 'github-org' || kind === 'github-user') {
    return 'must be a GitHub login: letters, digits and single hyphens, at most 39 characters';
  }
  if (kind === 'github-repo') return 'must be "owner/name" of a GitHub repository';
  return 'must be a git URL (https, ssh, git, file or scp-like user@host:owner/name) or an absolute path ending in owner/name';
}

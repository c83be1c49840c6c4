import type { SourceKind } from '../../api/admin-api-types.js';

export const sourceKindLabels: Record<SourceKind, string> = {
  'github-org': 'GitHub organisation',
  'github-user': 'GitHub user',
  'github-repo': 'GitHub repository',
  git: 'Git URL',
};

export const sourceKindOptions = Object.entries(sourceKindLabels) as [SourceKind, string][];

export const targetHints: Record<SourceKind, { hint: string; placeholder: string }> = {
  'github-org': { hint: 'The organisation’s login, as in github.com/<login>.', placeholder: 'microsoft' },
  'github-user': { hint: 'The user’s login, as in github.com/<login>.', placeholder: 'torvalds' },
  'github-repo': { hint: 'owner/name, as in github.com/owner/name.', placeholder: 'nodejs/node' },
  git: {
    hint: 'A git URL (https, ssh, git, file, or user@host:owner/name) or an absolute path ending in owner/name.',
    placeholder: 'https://git.example.org/acme/widgets.git',
  },
};

/** GitHub sends webhooks for its own repositories only. */
export function takesWebhooks(kind: SourceKind): boolean {
  return kind !== 'git';
}

import type { SourceKind } from '@repopulse/core';

/**
 * The events to tick on GitHub: those the engine turns into facts or repository metadata (the input
 * gateway's `processedWebhookEvents`). It also accepts create, delete, member and public, which change
 * only metadata a crawl refreshes anyway; any other event is answered 202 "ignored".
 */
export const webhookEvents = [
  'push',
  'pull_request',
  'pull_request_review',
  'issues',
  'issue_comment',
  'release',
  'star',
  'watch',
  'fork',
  'repository',
] as const;

/** The gateway reads JSON as well as form-encoded deliveries; JSON is the one to choose. */
export const webhookContentType = 'application/json';

/** Where a hook is added on GitHub: an organisation's settings, or a repository's. */
function settingsPage(kind: SourceKind, target: string): string {
  if (kind === 'github-org') return `https://github.com/organizations/${target}/settings/hooks/new`;
  if (kind === 'github-repo') return `https://github.com/${target}/settings/hooks/new`;
  // A user account has no account-wide webhooks: each of their repositories gets its own.
  return `https://github.com/${target}/<repository>/settings/hooks/new (once per repository)`;
}

export function webhookInstructions(options: {
  kind: SourceKind;
  target: string;
  webhookUrl: string;
}): string {
  return [
    `1. Open ${settingsPage(options.kind, options.target)}.`,
    `2. Payload URL: ${options.webhookUrl}`,
    `3. Content type: ${webhookContentType}`,
    '4. Secret: the secret shown here (it is shown only once; generate a new one if it is lost).',
    `5. "Let me select individual events": ${webhookEvents.join(', ')}.`,
    '6. Keep "Active" ticked and add the webhook. GitHub sends a ping, which should be answered 200.',
    'The input gateway reads new secrets within GITHUB_WEBHOOK_SECRET_CACHE_TTL_MS (30 s by default).',
  ].join('\n');
}

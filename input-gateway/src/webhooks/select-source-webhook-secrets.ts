import type { Queryable } from '@repopulse/core';

export interface SourceWebhookSecret {
  kind: 'github-org' | 'github-user' | 'github-repo';
  target: string;
  webhookSecret: string;
}

/**
 * Every GitHub source that has a webhook secret, enabled or not: `enabled` says whether cron crawls a
 * source, and a disabled source's hooks on GitHub still sign with its secret. An empty secret is no
 * secret (anyone can compute an HMAC with an empty key), so it is left out here.
 */
export async function selectSourceWebhookSecrets(database: Queryable): Promise<SourceWebhookSecret[]> {
  const result = await database.query<SourceWebhookSecret>(
    `SELECT sources.kind, sources.target, sources.webhook_secret AS "webhookSecret"
       FROM sources
      WHERE sources.kind IN ('github-org', 'github-user', 'github-repo')
        AND sources.webhook_secret IS NOT NULL
        AND sources.webhook_secret <> ''`,
  );
  return result.rows;
}

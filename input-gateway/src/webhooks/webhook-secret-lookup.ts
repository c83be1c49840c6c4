import type { Logger, Queryable } from '@repopulse/core';
import { selectSourceWebhookSecrets, type SourceWebhookSecret } from './select-source-webhook-secrets.js';

/** Where a candidate secret comes from; logged, so operators see which secret verified a delivery. */
export type SecretScope = 'repository' | 'owner' | 'fallback';

export interface CandidateSecret {
  scope: SecretScope;
  secret: string;
}

/** What an unverified body claims to be about; used only to choose candidate secrets. */
export interface WebhookSubject {
  repositoryFullName?: string;
  owners: string[];
}

export interface SecretCandidates {
  candidates: CandidateSecret[];
  /** False when the sources could not be read lately: a secret set since may be missing. */
  complete: boolean;
}

export interface WebhookSecretLookup {
  /** The repository's source secret, its owner's (org or user) source secrets, then the fallback. */
  candidatesFor(subject: WebhookSubject): Promise<SecretCandidates>;
}

export interface WebhookSecretLookupOptions {
  database: Queryable;
  /** `GITHUB_WEBHOOK_SECRET`, or null when unset. */
  fallbackSecret: string | null;
  cacheTtlMs: number;
  logger: Logger;
  /** After a failed read, how long to serve what is known before asking the database again. */
  retryAfterFailureMs?: number;
  now?: () => number;
}

interface SecretSnapshot {
  byRepository: Map<string, string>;
  byOwner: Map<string, string[]>;
}

function toSnapshot(rows: SourceWebhookSecret[]): SecretSnapshot {
  const snapshot: SecretSnapshot = { byRepository: new Map(), byOwner: new Map() };
  for (const row of rows) {
    const key = row.target.toLowerCase();
    if (row.kind === 'github-repo') snapshot.byRepository.set(key, row.webhookSecret);
    else snapshot.byOwner.set(key, [...(snapshot.byOwner.get(key) ?? []), row.webhookSecret]);
  }
  return snapshot;
}

/**
 * Holds every source's webhook secret in memory, reloaded at most once per `cacheTtlMs`. The whole
 * (small) set is loaded rather than one row per delivery because the repository name comes from a body
 * nobody has verified yet: per-name lookups would let anyone make the database work once per request
 * by inventing names. When the database cannot be read, the last snapshot and the fallback secret keep
 * the endpoint answering; the caller learns the answer may be incomplete.
 */
export function createWebhookSecretLookup(options: WebhookSecretLookupOptions): WebhookSecretLookup {
  const { database, logger, cacheTtlMs } = options;
  const now = options.now ?? Date.now;
  const retryAfterFailureMs = options.retryAfterFailureMs ?? Math.min(cacheTtlMs, 5_000);
  const fallback: CandidateSecret[] = options.fallbackSecret
    ? [{ scope: 'fallback', secret: options.fallbackSecret }]
    : [];
  let snapshot: SecretSnapshot | undefined;
  let nextLoadAt = 0;
  let complete = false;
  let loading: Promise<void> | undefined;

  async function load(): Promise<void> {
    try {
      snapshot = toSnapshot(await selectSourceWebhookSecrets(database));
      complete = true;
      nextLoadAt = now() + cacheTtlMs;
    } catch (error) {
      complete = false;
      nextLoadAt = now() + retryAfterFailureMs;
      logger.warn('webhook secrets could not be read, using the last known ones and the fallback', { error });
    }
  }

  async function current(): Promise<SecretSnapshot | undefined> {
    if (now() >= nextLoadAt) {
      // One read at a time: concurrent deliveries wait for the same query.
      loading ??= load().finally(() => (loading = undefined));
      await loading;
    }
    return snapshot;
  }

  return {
    async candidatesFor(subject) {
      const known = await current();
      const candidates: CandidateSecret[] = [];
      const repositorySecret =
        subject.repositoryFullName && known?.byRepository.get(subject.repositoryFullName.toLowerCase());
      if (repositorySecret) candidates.push({ scope: 'repository', secret: repositorySecret });
      for (const owner of new Set(subject.owners.map((name) => name.toLowerCase()))) {
        for (const secret of known?.byOwner.get(owner) ?? []) candidates.push({ scope: 'owner', secret });
      }
      candidates.push(...fallback);
      return { candidates, complete };
    },
  };
}

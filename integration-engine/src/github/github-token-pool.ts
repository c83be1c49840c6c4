import { createHash } from 'node:crypto';
import type { Logger, Queryable } from '@repopulse/core';
import { GithubAuthError, RateLimitedError, type RateLimitResource } from './github-errors.js';
import {
  ensureTokenRows,
  readTokenRows,
  recordTokenQuota,
  recordTokenRejected,
  type TokenRow,
} from './github-token-store.js';

/** A token as the pool hands it out. `value` goes into the Authorization header and nowhere else. */
export interface PoolToken {
  readonly value: string | null;
  readonly fingerprint: string;
  /** `…abcd`: safe to log and to show. */
  readonly label: string;
}

/** One token's quota for one resource, for the admin panel. */
export interface TokenState {
  fingerprint: string;
  label: string;
  resource: string;
  limit: number | null;
  remaining: number | null;
  resetAt: Date | null;
  rejectedAt: Date | null;
  rejectedReason: string | null;
}

export interface QuotaReport {
  limit: number | null;
  remaining: number;
  resetAt: Date;
}

export interface TokenPool {
  /** The usable token with the most quota left for `resource`; RateLimitedError when all are spent. */
  acquire(resource: RateLimitResource): Promise<PoolToken>;
  /** What GitHub reported about the token's quota on an answer. */
  recordQuota(token: PoolToken, resource: RateLimitResource, quota: QuotaReport): Promise<void>;
  /** GitHub refused the token for its primary limit: out of the pool for `resource` until `resetAt`. */
  markSpent(token: PoolToken, resource: RateLimitResource, resetAt: Date): Promise<void>;
  /** GitHub answered 401: out of the pool until it has been left alone for a while. */
  reject(token: PoolToken, reason: string): Promise<void>;
  states(): Promise<TokenState[]>;
}

export interface TokenPoolOptions {
  tokens: readonly string[];
  database: Queryable;
  logger: Logger;
  /** How stale the in-memory view of the shared table may get. */
  refreshIntervalMs?: number;
  /** A rejected token is tried again after this long (it may have been a GitHub hiccup, or renewed). */
  rejectionRetryMs?: number;
  now?: () => number;
}

interface Quota {
  limit: number | null;
  remaining: number | null;
  resetAt: Date | null;
}

interface Entry extends PoolToken {
  rejectedAt: Date | null;
  rejectedReason: string | null;
  quotas: Map<string, Quota>;
}

const knownResources = ['core', 'graphql'];

export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

export function tokenLabel(token: string): string {
  return `…${token.slice(-4)}`;
}

function quotaOf(entry: Entry, resource: string): Quota {
  let quota = entry.quotas.get(resource);
  if (!quota) {
    quota = { limit: null, remaining: null, resetAt: null };
    entry.quotas.set(resource, quota);
  }
  return quota;
}

/** Folds a row another replica wrote into the local view: later windows and lower counts win. */
function mergeRow(entry: Entry, row: TokenRow): void {
  if (row.rejectedAt && (!entry.rejectedAt || row.rejectedAt > entry.rejectedAt)) {
    entry.rejectedAt = row.rejectedAt;
    entry.rejectedReason = row.rejectedReason;
  } else if (!row.rejectedAt && entry.rejectedAt && row.updatedAt > entry.rejectedAt) {
    entry.rejectedAt = null;
    entry.rejectedReason = null;
  }
  const quota = quotaOf(entry, row.resource);
  quota.limit = row.rateLimit ?? quota.limit;
  if (!row.resetAt || row.remaining === null) return;
  if (!quota.resetAt || quota.remaining === null || row.resetAt > quota.resetAt) {
    quota.resetAt = row.resetAt;
    quota.remaining = row.remaining;
  } else if (row.resetAt.getTime() === quota.resetAt.getTime()) {
    quota.remaining = Math.min(quota.remaining, row.remaining);
  }
}

/**
 * The GitHub token pool, shared by replicas through table `github_tokens` (tokens known there only by
 * fingerprint and label) and kept in memory between refreshes. With no tokens it is one anonymous entry.
 */
export function createTokenPool(options: TokenPoolOptions): TokenPool {
  const { database } = options;
  const logger = options.logger.child({ module: 'github-token-pool' });
  const now = options.now ?? Date.now;
  const refreshIntervalMs = options.refreshIntervalMs ?? 5_000;
  const rejectionRetryMs = options.rejectionRetryMs ?? 3_600_000;
  const entries = new Map<string, Entry>();
  for (const value of options.tokens) {
    const fingerprint = tokenFingerprint(value);
    entries.set(fingerprint, {
      value,
      fingerprint,
      label: tokenLabel(value),
      rejectedAt: null,
      rejectedReason: null,
      quotas: new Map(),
    });
  }
  if (entries.size === 0) {
    entries.set('anonymous', {
      value: null,
      fingerprint: 'anonymous',
      label: 'anonymous',
      rejectedAt: null,
      rejectedReason: null,
      quotas: new Map(),
    });
  }
  const fingerprints = [...entries.keys()];
  let refreshedAt = Number.NEGATIVE_INFINITY;
  let refreshing: Promise<void> | undefined;
  let rowsEnsured = false;

  // The shared table is an optimisation and a display: if PostgreSQL is briefly away, the local view serves.
  async function persist(what: string, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      logger.warn('could not record GitHub token state', { what, error: (error as Error).message });
    }
  }

  async function refresh(force = false): Promise<void> {
    if (!force && now() - refreshedAt < refreshIntervalMs) return;
    refreshing ??= (async () => {
      try {
        if (!rowsEnsured) {
          await ensureTokenRows(database, [...entries.values()], knownResources);
          rowsEnsured = true;
        }
        for (const row of await readTokenRows(database, fingerprints)) {
          const entry = entries.get(row.fingerprint);
          if (entry) mergeRow(entry, row);
        }
      } catch (error) {
        logger.warn('could not read the shared GitHub token state', { error: (error as Error).message });
      } finally {
        refreshedAt = now();
        refreshing = undefined;
      }
    })();
    await refreshing;
  }

  function isRejected(entry: Entry, at: number): boolean {
    return entry.rejectedAt !== null && at - entry.rejectedAt.getTime() < rejectionRetryMs;
  }

  function choose(resource: string): PoolToken {
    const at = now();
    const usable = [...entries.values()].filter((entry) => !isRejected(entry, at));
    if (usable.length === 0) {
      const reason = [...entries.values()][0]?.rejectedReason ?? 'Bad credentials';
      throw new GithubAuthError(`GitHub rejected every configured token (${entries.size}): ${reason}`);
    }
    let best: { entry: Entry; remaining: number } | undefined;
    let earliestReset: Date | undefined;
    for (const entry of usable) {
      const quota = quotaOf(entry, resource);
      const windowOpen = quota.resetAt !== null && quota.resetAt.getTime() > at;
      if (windowOpen && quota.remaining !== null && quota.remaining <= 0) {
        if (!earliestReset || quota.resetAt! < earliestReset) earliestReset = quota.resetAt!;
        continue;
      }
      // A token never used, or whose window has ended, has its whole limit (unknown: try it first).
      const remaining =
        windowOpen && quota.remaining !== null ? quota.remaining : (quota.limit ?? Number.MAX_SAFE_INTEGER);
      if (!best || remaining > best.remaining) best = { entry, remaining };
    }
    if (!best) throw new RateLimitedError(resource, earliestReset ?? new Date(at + 60_000), 'primary', at);
    const quota = quotaOf(best.entry, resource);
    // Spread concurrent requests across tokens until GitHub's answer gives the real count.
    if (quota.remaining !== null && quota.resetAt && quota.resetAt.getTime() > at) quota.remaining--;
    return best.entry;
  }

  function entryOf(token: PoolToken): Entry {
    const entry = entries.get(token.fingerprint);
    if (!entry) throw new Error(`token ${token.label} is not in the pool`);
    return entry;
  }

  return {
    async acquire(resource) {
      await refresh();
      return choose(resource);
    },

    async recordQuota(token, resource, report) {
      const entry = entryOf(token);
      Object.assign(quotaOf(entry, resource), {
        limit: report.limit ?? quotaOf(entry, resource).limit,
        remaining: report.remaining,
        resetAt: report.resetAt,
      });
      entry.rejectedAt = null;
      entry.rejectedReason = null;
      await persist('quota', () =>
        recordTokenQuota(database, {
          fingerprint: entry.fingerprint,
          label: entry.label,
          resource,
          ...report,
        }),
      );
    },

    async markSpent(token, resource, reportedResetAt) {
      const entry = entryOf(token);
      // GitHub's reset is a whole second by its clock, not ours: a limit answered with a reset already due
      // is waited out for a second, so the pool does not send request after request into it.
      const resetAt = new Date(Math.max(reportedResetAt.getTime(), now() + 1_000));
      Object.assign(quotaOf(entry, resource), { remaining: 0, resetAt });
      logger.info('GitHub token spent', { token: entry.label, resource, resetAt: resetAt.toISOString() });
      await persist('spent', () =>
        recordTokenQuota(database, {
          fingerprint: entry.fingerprint,
          label: entry.label,
          resource,
          limit: quotaOf(entry, resource).limit,
          remaining: 0,
          resetAt,
        }),
      );
    },

    async reject(token, reason) {
      const entry = entryOf(token);
      entry.rejectedAt = new Date(now());
      entry.rejectedReason = reason;
      logger.warn('GitHub rejected a token', { token: entry.label, reason });
      const resources = [...new Set([...knownResources, ...entry.quotas.keys()])];
      await persist('rejected', () => recordTokenRejected(database, entry, resources, reason));
    },

    async states() {
      await refresh(true);
      return [...entries.values()].flatMap((entry) =>
        [...new Set([...knownResources, ...entry.quotas.keys()])].map((resource) => {
          const quota = quotaOf(entry, resource);
          return {
            fingerprint: entry.fingerprint,
            label: entry.label,
            resource,
            limit: quota.limit,
            remaining: quota.remaining,
            resetAt: quota.resetAt,
            rejectedAt: entry.rejectedAt,
            rejectedReason: entry.rejectedReason,
          };
        }),
      );
    },
  };
}

import type { Queryable } from '@repopulse/core';

/** One token's quota for one rate-limit resource, as table `github_tokens` keeps it. */
export interface TokenRow {
  fingerprint: string;
  resource: string;
  label: string;
  rateLimit: number | null;
  remaining: number | null;
  resetAt: Date | null;
  rejectedAt: Date | null;
  rejectedReason: string | null;
  updatedAt: Date;
}

interface RawTokenRow {
  fingerprint: string;
  resource: string;
  label: string;
  rate_limit: number | null;
  remaining: number | null;
  reset_at: Date | null;
  rejected_at: Date | null;
  rejected_reason: string | null;
  updated_at: Date;
}

export async function readTokenRows(
  database: Queryable,
  fingerprints: readonly string[],
): Promise<TokenRow[]> {
  const { rows } = await database.query<RawTokenRow>(
    `SELECT github_tokens.fingerprint, github_tokens.resource, github_tokens.label, github_tokens.rate_limit,
            github_tokens.remaining, github_tokens.reset_at, github_tokens.rejected_at,
            github_tokens.rejected_reason, github_tokens.updated_at
       FROM github_tokens
      WHERE github_tokens.fingerprint = ANY($1::text[])
      ORDER BY github_tokens.label, github_tokens.resource`,
    [fingerprints],
  );
  return rows.map((row) => ({
    fingerprint: row.fingerprint,
    resource: row.resource,
    label: row.label,
    rateLimit: row.rate_limit,
    remaining: row.remaining,
    resetAt: row.reset_at,
    rejectedAt: row.rejected_at,
    rejectedReason: row.rejected_reason,
    updatedAt: row.updated_at,
  }));
}

/** Rows for every token and resource, so the admin panel lists the pool before its first request. */
export async function ensureTokenRows(
  database: Queryable,
  tokens: readonly { fingerprint: string; label: string }[],
  resources: readonly string[],
): Promise<void> {
  const pairs = tokens.flatMap((token) => resources.map((resource) => ({ ...token, resource })));
  await database.query(
    `INSERT INTO github_tokens (fingerprint, resource, label)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (fingerprint, resource) DO NOTHING`,
    [
      pairs.map((pair) => pair.fingerprint),
      pairs.map((pair) => pair.resource),
      pairs.map((pair) => pair.label),
    ],
  );
}

/**
 * Records what GitHub just reported. Within one window (same reset time) the lower `remaining` wins, so
 * replicas answering out of order never raise a count another one saw fall; a later window replaces it.
 * An answer GitHub accepted also clears an earlier rejection.
 */
export async function recordTokenQuota(
  database: Queryable,
  quota: {
    fingerprint: string;
    label: string;
    resource: string;
    limit: number | null;
    remaining: number;
    resetAt: Date;
  },
): Promise<void> {
  await database.query(
    `INSERT INTO github_tokens AS current (fingerprint, resource, label, rate_limit, remaining, reset_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, now())
     ON CONFLICT (fingerprint, resource) DO UPDATE SET
       label = EXCLUDED.label,
       rate_limit = coalesce(EXCLUDED.rate_limit, current.rate_limit),
       remaining = CASE
         WHEN current.reset_at IS NULL OR current.remaining IS NULL OR EXCLUDED.reset_at > current.reset_at
           THEN EXCLUDED.remaining
         WHEN EXCLUDED.reset_at = current.reset_at THEN least(current.remaining, EXCLUDED.remaining)
         ELSE current.remaining
       END,
       reset_at = greatest(current.reset_at, EXCLUDED.reset_at),
       rejected_at = NULL,
       rejected_reason = NULL,
       updated_at = now()`,
    [quota.fingerprint, quota.resource, quota.label, quota.limit, quota.remaining, quota.resetAt],
  );
}

/** GitHub answered 401: the token is refused for every resource until it answers again. */
export async function recordTokenRejected(
  database: Queryable,
  token: { fingerprint: string; label: string },
  resources: readonly string[],
  reason: string,
): Promise<void> {
  await database.query(
    `INSERT INTO github_tokens (fingerprint, resource, label, rejected_at, rejected_reason, updated_at)
     SELECT $1, resource, $2, now(), $4, now() FROM unnest($3::text[]) AS resource
     ON CONFLICT (fingerprint, resource) DO UPDATE SET
       rejected_at = now(), rejected_reason = EXCLUDED.rejected_reason, updated_at = now()`,
    [token.fingerprint, token.label, resources, reason],
  );
}

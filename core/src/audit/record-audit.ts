import type { Queryable } from '../db/index.js';

/** One row of the audit log: who did what to what, how it went. */
export interface AuditEntry {
  actorKind: 'user' | 'api-key' | 'anonymous' | 'system';
  actorId?: string | null;
  actorName?: string | null;
  /** What was attempted, e.g. `login`, `request.denied`, `acl-rule.update`, `api-key.revoke`. */
  action: string;
  target?: string | null;
  outcome: 'success' | 'failure' | 'denied';
  details?: Record<string, unknown>;
  requestId?: string | null;
  address?: string | null;
}

/** Writes audit rows in one statement (a batch, or one row in the caller's transaction). */
export async function recordAudit(queryable: Queryable, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await queryable.query(
    `INSERT INTO audit_log (actor_kind, actor_id, actor_name, action, target, outcome, details, request_id, address)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::text[], $9::text[])`,
    [
      entries.map((entry) => entry.actorKind),
      entries.map((entry) => entry.actorId ?? null),
      entries.map((entry) => entry.actorName ?? null),
      entries.map((entry) => entry.action),
      entries.map((entry) => entry.target ?? null),
      entries.map((entry) => entry.outcome),
      entries.map((entry) => JSON.stringify(entry.details ?? {})),
      entries.map((entry) => entry.requestId ?? null),
      entries.map((entry) => entry.address ?? null),
    ],
  );
}

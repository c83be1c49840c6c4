import type { Queryable } from '@repopulse/core';

export interface AuditRecord {
  id: string;
  at: Date;
  actorKind: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  target: string | null;
  outcome: string;
  details: Record<string, unknown>;
  requestId: string | null;
  address: string | null;
}

export interface AuditFilters {
  /** `user:12`, `api-key:5`, a user name or an actor id. */
  actor?: string;
  /** An action (`source.update`), or its family (`source` is every `source.…`). */
  action?: string;
  outcome?: string;
  from?: Date;
  /** Exclusive: the range is half-open. */
  to?: Date;
  limit: number;
  before?: string[];
}

/** Newest first, `limit + 1` rows (the extra one says a next page exists). */
export async function selectAuditEntries(database: Queryable, filters: AuditFilters): Promise<AuditRecord[]> {
  const { rows } = await database.query<AuditRecord>(
    `SELECT audit_log.id::text AS id, audit_log.occurred_at AS at, audit_log.actor_kind AS "actorKind",
            audit_log.actor_id AS "actorId", audit_log.actor_name AS "actorName", audit_log.action,
            audit_log.target, audit_log.outcome, audit_log.details, audit_log.request_id AS "requestId",
            audit_log.address
       FROM audit_log
      WHERE ($1::text IS NULL OR audit_log.actor_kind || ':' || coalesce(audit_log.actor_id, '') = $1
             OR lower(audit_log.actor_name) = lower($1) OR audit_log.actor_id = $1)
        AND ($2::text IS NULL OR audit_log.action = $2 OR starts_with(audit_log.action, $2 || '.'))
        AND ($3::text IS NULL OR audit_log.outcome = $3)
        AND ($4::timestamptz IS NULL OR audit_log.occurred_at >= $4)
        AND ($5::timestamptz IS NULL OR audit_log.occurred_at < $5)
        AND ($6::bigint IS NULL OR audit_log.id < $6)
      ORDER BY audit_log.id DESC
      LIMIT $7`,
    [
      filters.actor ?? null,
      filters.action ?? null,
      filters.outcome ?? null,
      filters.from ?? null,
      filters.to ?? null,
      filters.before?.[0] ?? null,
      filters.limit + 1,
    ],
  );
  return rows;
}

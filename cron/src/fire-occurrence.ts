import { startSourceCrawl, type Database, type SourceKind } from '@repopulse/core';

export type FiringReason = 'schedule' | 'late' | 'catch-up' | 'initial';

/** What became of one replica's attempt at an occurrence. */
export type FiringOutcome =
  | { outcome: 'started'; runId: string }
  | { outcome: 'skipped'; reason: string }
  /** Another replica fired it first; or it no longer applies (the source was disabled, deleted, rescheduled). */
  | { outcome: 'duplicate' | 'not-applicable' };

export interface Occurrence {
  sourceId: string;
  /** The time the schedule named (whole seconds), or the source's creation for its first crawl. */
  at: Date;
  reason: FiringReason;
  /** The schedule this replica fired it for; an initial crawl has none. */
  schedule?: string;
}

interface LockedSource {
  id: string;
  kind: SourceKind;
  target: string;
  schedule: string | null;
  enabled: boolean;
}

/**
 * Fires one occurrence of a source's schedule, once across every cron replica. Every replica fires every
 * occurrence; each takes the source's row lock first, so they queue up behind each other, and the first
 * to find no firing recorded for the occurrence records it and starts the crawl — a crawl run and its
 * message in the outbox, in the same transaction. A replica that dies mid-way commits nothing, and the
 * others, firing the same occurrence, take over. A source whose previous run is still going is not
 * started twice: the occurrence is recorded as skipped, with the run it waited for.
 */
export async function fireOccurrence(
  database: Database,
  occurrence: Occurrence,
  options: { replicaId: string; staleRunAfterMs: number },
): Promise<FiringOutcome> {
  return database.transaction(async (transaction) => {
    const { rows: sources } = await transaction.query<LockedSource>(
      `SELECT sources.id::text AS id, sources.kind, sources.target, sources.schedule, sources.enabled
         FROM sources WHERE sources.id = $1 FOR UPDATE`,
      [occurrence.sourceId],
    );
    const source = sources[0];
    if (!source || !source.enabled) return { outcome: 'not-applicable' };
    if (occurrence.schedule !== undefined && source.schedule !== occurrence.schedule) {
      return { outcome: 'not-applicable' };
    }
    const { rowCount: alreadyFired } = await transaction.query(
      `SELECT 1 FROM schedule_firings WHERE schedule_firings.source_id = $1 AND schedule_firings.occurrence = $2`,
      [source.id, occurrence.at],
    );
    if (alreadyFired) return { outcome: 'duplicate' };

    const { rows: active } = await transaction.query<{ id: string }>(
      `SELECT crawl_runs.id FROM crawl_runs
        WHERE crawl_runs.source_id = $1 AND crawl_runs.status IN ('queued', 'running')
          AND crawl_runs.updated_at > now() - $2 * interval '1 millisecond'
        ORDER BY crawl_runs.created_at DESC LIMIT 1`,
      [source.id, options.staleRunAfterMs],
    );
    const still = active[0];
    const result: FiringOutcome = still
      ? { outcome: 'skipped', reason: `the previous crawl run ${still.id} is still going` }
      : {
          outcome: 'started',
          runId: (await startSourceCrawl(transaction, { source, trigger: 'schedule', requestedBy: 'cron' }))
            .runId,
        };
    await transaction.query(
      `INSERT INTO schedule_firings (source_id, occurrence, reason, outcome, crawl_run_id, skipped_reason, fired_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        source.id,
        occurrence.at,
        occurrence.reason,
        result.outcome,
        result.outcome === 'started' ? result.runId : null,
        result.outcome === 'skipped' ? result.reason : null,
        options.replicaId,
      ],
    );
    return result;
  });
}

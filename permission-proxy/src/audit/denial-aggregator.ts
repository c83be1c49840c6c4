import type { AuditEntry } from '@repopulse/core';

interface Aggregate {
  first: AuditEntry;
  count: number;
  firstAt: number;
  lastAt: number;
  targets: Set<string>;
}

/** The per-request refusals; other denied entries (a login throttle's episode) are rows of their own already. */
const aggregatedActions = new Set(['request.denied', 'request.rate-limited']);

/** The few paths an aggregated row names, as examples of what was refused. */
const maxTargetsNamed = 5;

/**
 * Folds repeated denials of one caller into one audit row per window: the same actor (or address), action,
 * status and ACL rule within `windowMs` of the first become a single row with `details.count`, the window's
 * first and last time and a few of the paths refused. A client hammering the proxy writes one row a minute,
 * not one per request. Other entries pass straight through.
 */
export function createDenialAggregator(options: {
  windowMs: number;
  maxAggregates?: number;
  now?: () => number;
}) {
  const now = options.now ?? Date.now;
  const maxAggregates = options.maxAggregates ?? 10_000;
  const aggregates = new Map<string, Aggregate>();

  function keyOf(entry: AuditEntry): string {
    const details = entry.details ?? {};
    return JSON.stringify([
      entry.actorKind,
      entry.actorId ?? null,
      entry.address ?? null,
      entry.action,
      details.status ?? null,
      details.rule ?? null,
    ]);
  }

  function rowOf(aggregate: Aggregate): AuditEntry {
    if (aggregate.count === 1) return aggregate.first;
    return {
      ...aggregate.first,
      details: {
        ...aggregate.first.details,
        count: aggregate.count,
        firstAt: new Date(aggregate.firstAt).toISOString(),
        lastAt: new Date(aggregate.lastAt).toISOString(),
        targets: [...aggregate.targets],
      },
    };
  }

  return {
    /** Takes an entry; returns what is to be written now (a denial is held for its window). */
    add(entry: AuditEntry): AuditEntry[] {
      if (entry.outcome !== 'denied' || !aggregatedActions.has(entry.action)) return [entry];
      const key = keyOf(entry);
      const at = now();
      const aggregate = aggregates.get(key);
      if (aggregate) {
        aggregate.count += 1;
        aggregate.lastAt = at;
        if (entry.target && aggregate.targets.size < maxTargetsNamed) aggregate.targets.add(entry.target);
        return [];
      }
      aggregates.set(key, {
        first: entry,
        count: 1,
        firstAt: at,
        lastAt: at,
        targets: new Set(entry.target ? [entry.target] : []),
      });
      // Bounded memory: past the cap the oldest window is written early.
      if (aggregates.size > maxAggregates) {
        const [oldestKey, oldest] = aggregates.entries().next().value as [string, Aggregate];
        aggregates.delete(oldestKey);
        return [rowOf(oldest)];
      }
      return [];
    },
    /** The rows of every window that has ended (all of them with `everything`, when stopping). */
    due(everything = false): AuditEntry[] {
      const rows: AuditEntry[] = [];
      const at = now();
      for (const [key, aggregate] of aggregates) {
        if (!everything && at - aggregate.firstAt < options.windowMs) continue;
        aggregates.delete(key);
        rows.push(rowOf(aggregate));
      }
      return rows;
    },
  };
}

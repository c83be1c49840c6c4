import { SchemaViolationError, type MessageHandler } from '@repopulse/core';
import { allMetrics } from './all-metrics.js';
import { computeMetricsAt, daysToCompute, firstFactAt, type MetricsAt } from './compute-metrics.js';
import { loadRepositoryFacts } from './load-repository-facts.js';
import type { MetricDefinition } from './metric-definition.js';
import { dayMs } from './repository-facts.js';
import { storeMetricPoints, storeMetricSnapshot } from './store-metrics.js';

/**
 * `metrics.compute` for one repository: loads its facts once, computes every metric now (the snapshot)
 * and at the end of each day whose window changed (the series; the whole year the first time), and
 * stores both. Messages are coalesced per repository upstream; a fact written while this runs marks the
 * repository dirty again and sends another message, so nothing is missed.
 */
export function createMetricsComputeHandler(
  options: { definitions?: readonly MetricDefinition[]; now?: () => number } = {},
): MessageHandler {
  const definitions = options.definitions ?? allMetrics;
  const clock = options.now ?? Date.now;
  return async ({ envelope, transaction, logger }) => {
    const repositoryId = readRepositoryId(envelope.payload);
    const state = await transaction.query<{
      metrics_dirty_since: Date | null;
      metrics_computed_at: Date | null;
    }>(
      `SELECT metrics_dirty_since::timestamp AT TIME ZONE 'UTC' AS metrics_dirty_since, metrics_computed_at
       FROM repositories WHERE id = $1`,
      [repositoryId],
    );
    const row = state.rows[0];
    if (!row) {
      logger.warn('metrics.compute for a repository that no longer exists', { repositoryId });
      return [];
    }
    const facts = await loadRepositoryFacts(transaction, repositoryId);
    if (!facts) return [];
    const started = Date.now();
    const now = clock();
    const days = daysToCompute({
      now,
      dirtySince: row.metrics_dirty_since?.getTime() ?? null,
      computedBefore: row.metrics_computed_at !== null,
      firstFactAt: firstFactAt(facts),
    });
    const latest = computeMetricsAt(definitions, facts, now);
    const points: Array<{ day: number; at: MetricsAt }> = days.map((day) => ({
      day,
      // A past day's point is the metric at the end of that day; today's is the metric now.
      at: day + dayMs > now ? latest : computeMetricsAt(definitions, facts, day + dayMs),
    }));
    const computedMs = Date.now() - started;
    await storeMetricSnapshot(transaction, repositoryId, latest);
    const stored = await storeMetricPoints(transaction, repositoryId, points);
    // Cleared only if no writer marked an earlier day meanwhile (that writer sent another message).
    await transaction.query(
      `UPDATE repositories SET metrics_computed_at = $2,
         metrics_dirty_since = CASE WHEN metrics_dirty_since IS NOT DISTINCT FROM $3::date THEN NULL ELSE metrics_dirty_since END
       WHERE id = $1`,
      [
        repositoryId,
        new Date(now),
        row.metrics_dirty_since ? row.metrics_dirty_since.toISOString().slice(0, 10) : null,
      ],
    );
    logger.info('metrics computed', {
      repositoryId,
      days: days.length,
      points: stored,
      computedMs,
      healthScore: latest.health.score,
    });
    return [];
  };
}

function readRepositoryId(payload: unknown): string {
  const id = (payload as { repositoryId?: unknown } | null)?.repositoryId;
  if ((typeof id === 'string' && /^\d+$/.test(id)) || (typeof id === 'number' && Number.isInteger(id)))
    return String(id);
  throw new SchemaViolationError('The metrics.compute payload has no repositoryId', [
    { path: '/repositoryId', message: 'must be a repository id' },
  ]);
}

import { metricNames } from './metric-names.js';

/** A metric as the snapshot stores it (`metric_snapshots.metrics`): the value, or null and why. */
export interface StoredMetric {
  value: number | null;
  reason?: string;
  version?: number;
}

export type StoredMetrics = Record<string, StoredMetric | undefined>;

/** A metric docs/METRICS.md defines that the snapshot lacks (computed before the engine knew it). */
const notComputed: StoredMetric = { value: null, reason: 'not_computed' };

/**
 * The snapshot's metrics in docs/METRICS.md's order, every name present: `metrics` holds the plain values,
 * and `metricDetails` the value with its reason (for a null) and the definition's version. Names the snapshot
 * holds beyond the gateway's list (a newer engine) follow, rather than being dropped.
 */
export function presentSnapshotMetrics(stored: StoredMetrics): {
  metrics: Record<string, number | null>;
  metricDetails: Record<string, StoredMetric>;
} {
  const names = [...new Set([...metricNames, ...Object.keys(stored)])];
  const metrics: Record<string, number | null> = {};
  const metricDetails: Record<string, StoredMetric> = {};
  for (const name of names) {
    const { value, reason, version } = stored[name] ?? notComputed;
    metrics[name] = value;
    metricDetails[name] = {
      value,
      ...(reason === undefined ? {} : { reason }),
      ...(version === undefined ? {} : { version }),
    };
  }
  return { metrics, metricDetails };
}

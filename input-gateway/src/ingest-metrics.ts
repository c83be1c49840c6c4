import { Counter, type Registry } from 'prom-client';

export type IngestOutcome = 'accepted' | 'invalid' | 'unavailable';

/** Counts ingest requests by endpoint and outcome, and the events they carried. */
export function createIngestMetrics(registry: Registry) {
  const requests = new Counter({
    name: 'ingest_requests_total',
    help: 'Ingest requests by endpoint and outcome',
    labelNames: ['endpoint', 'outcome'],
    registers: [registry],
  });
  const events = new Counter({
    name: 'ingest_events_total',
    help: 'Events accepted, by type',
    labelNames: ['type'],
    registers: [registry],
  });
  return {
    request(endpoint: string, outcome: IngestOutcome) {
      requests.inc({ endpoint, outcome });
    },
    events(type: string, count: number) {
      events.inc({ type }, count);
    },
  };
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;

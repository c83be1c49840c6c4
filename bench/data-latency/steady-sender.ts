import type { GenericEvent, GenericEventBatch } from '@repopulse/core';
import { proxiedFetch } from '@repopulse/core/testing';

export const loadOwner = 'bench-org';
export const probeOwner = 'bench-probe';

export interface SenderOptions {
  /** The input gateway's base URL. */
  gatewayBase: string;
  eventsPerSecond: number;
  batchSize: number;
  /** Load repositories `bench-org/load-00`…, taken in turn by the batches. */
  repositories: number;
  /** How many load repositories one batch's events fall on (a push: one). */
  repositoriesPerBatch: number;
  seconds: number;
  /** Tells this run's event ids and probe repositories apart from another's (the warm-up's) in one database. */
  label: string;
  /** Called with each batch's number and the moment its 202 arrived (performance.now()). */
  onAccepted(batchNumber: number, acceptedAt: number): void;
}

export interface SenderResult {
  sent: number;
  acceptedEvents: number;
  failed: number;
  /** From the first send to the last 202, in milliseconds. */
  elapsedMs: number;
  /** POST → 202 of each accepted batch, in milliseconds. */
  postLatencies: number[];
}

/** The probe repository of one batch: its activity counts one commit exactly when the batch is a fact. */
export function probeRepositoryName(label: string, batchNumber: number): string {
  return `${label}-batch-${batchNumber}`;
}

let sha = 0;
function commit(id: string, owner: string, name: string, at: string): GenericEvent {
  sha++;
  return {
    id,
    type: 'commit',
    action: 'pushed',
    repository: { host: 'github.com', owner, name },
    occurredAt: at,
    data: {
      sha: sha.toString(16).padStart(40, '0'),
      authoredAt: at,
      author: { name: 'Bench', email: 'bench@example.org' },
    },
  };
}

/** `batchSize - 1` load commits, then the batch's marker: one commit on its own probe repository. */
function batchOf(batchNumber: number, options: SenderOptions): GenericEventBatch {
  const at = new Date().toISOString();
  const events: GenericEvent[] = [];
  for (let index = 0; index < options.batchSize - 1; index++) {
    const perBatch = Math.min(options.repositoriesPerBatch, options.repositories);
    const repository = (batchNumber * perBatch + (index % perBatch)) % options.repositories;
    events.push(
      commit(
        `${options.label}-${batchNumber}-${index}`,
        loadOwner,
        `load-${String(repository).padStart(2, '0')}`,
        at,
      ),
    );
  }
  const marker = probeRepositoryName(options.label, batchNumber);
  events.push(commit(`${options.label}-${batchNumber}-marker`, probeOwner, marker, at));
  return { source: 'bench-latency', events };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Open loop: batch n leaves at start + n × interval whether or not earlier ones were answered, so a slow
 * gateway shows as latency, not as a lower rate the benchmark quietly adapts to.
 */
export async function sendSteadily(options: SenderOptions): Promise<SenderResult> {
  const intervalMs = (1_000 * options.batchSize) / options.eventsPerSecond;
  const batches = Math.round((options.seconds * 1_000) / intervalMs);
  const result: SenderResult = { sent: 0, acceptedEvents: 0, failed: 0, elapsedMs: 0, postLatencies: [] };
  const started = performance.now();
  let lastAccepted = started;
  const inFlight: Promise<void>[] = [];
  for (let batchNumber = 0; batchNumber < batches; batchNumber++) {
    await sleep(started + batchNumber * intervalMs - performance.now());
    const body = JSON.stringify(batchOf(batchNumber, options));
    const sentAt = performance.now();
    result.sent++;
    inFlight.push(
      proxiedFetch(`${options.gatewayBase}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }).then(
        async (response) => {
          await response.arrayBuffer();
          const acceptedAt = performance.now();
          if (response.status !== 202) {
            result.failed++;
            return;
          }
          result.acceptedEvents += options.batchSize;
          result.postLatencies.push(acceptedAt - sentAt);
          lastAccepted = Math.max(lastAccepted, acceptedAt);
          options.onAccepted(batchNumber, acceptedAt);
        },
        () => {
          result.failed++;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  result.elapsedMs = lastAccepted - started;
  return result;
}

import { randomUUID } from 'node:crypto';
import { createEnvelope, type Envelope, type GenericEvent, type GenericEventBatch } from '@repopulse/core';

export const acmeWidgets = { host: 'github.com', owner: 'acme', name: 'widgets' };

let shaCounter = 0;
/** A fresh 40-hex sha for each commit built. */
export function nextSha(): string {
  shaCounter++;
  return shaCounter.toString(16).padStart(40, '0');
}

type EventOf<T extends GenericEvent['type']> = Extract<GenericEvent, { type: T }>;

export function commitEvent(
  authoredAt: string,
  overrides: Partial<EventOf<'commit'>['data']> = {},
): GenericEvent {
  return {
    id: randomUUID(),
    type: 'commit',
    action: 'pushed',
    repository: acmeWidgets,
    occurredAt: authoredAt,
    data: { sha: nextSha(), authoredAt, author: { name: 'Ada', email: 'ada@example.org' }, ...overrides },
  };
}

export function pullRequestEvent(
  action: EventOf<'pull_request'>['action'],
  number: number,
  occurredAt: string,
  data: Partial<EventOf<'pull_request'>['data']> = {},
): GenericEvent {
  return {
    id: randomUUID(),
    type: 'pull_request',
    action,
    repository: acmeWidgets,
    occurredAt,
    data: { number, ...data },
  };
}

export function issueEvent(
  action: EventOf<'issue'>['action'],
  number: number,
  occurredAt: string,
): GenericEvent {
  return { id: randomUUID(), type: 'issue', action, repository: acmeWidgets, occurredAt, data: { number } };
}

export function starEvent(action: 'created' | 'deleted', login: string, occurredAt: string): GenericEvent {
  return {
    id: randomUUID(),
    type: 'star',
    action,
    repository: acmeWidgets,
    occurredAt,
    actor: { login },
    data: {},
  };
}

export function releaseEvent(action: 'published' | 'deleted', tag: string, occurredAt: string): GenericEvent {
  return { id: randomUUID(), type: 'release', action, repository: acmeWidgets, occurredAt, data: { tag } };
}

export function forkEvent(owner: string, occurredAt: string): GenericEvent {
  return {
    id: randomUUID(),
    type: 'fork',
    action: 'created',
    repository: acmeWidgets,
    occurredAt,
    data: { fork: { owner, name: 'widgets' } },
  };
}

export function batchEnvelope(events: GenericEvent[], source = 'test-supplier'): Envelope<GenericEventBatch> {
  return createEnvelope('ingest.events', { source, events });
}

import type { GenericEvent, Queryable, RepositoryReference } from '@repopulse/core';
import { addActivityDeltas } from '../activity/add-activity-deltas.js';
import { TouchedDays } from '../activity/touched-days.js';
import { applyFactChanges } from '../facts/apply-fact-change.js';
import { upsertRepositories } from '../repositories/upsert-repositories.js';
import { genericEventToFact } from './generic-event-to-fact.js';
import { markEventsProcessed } from './mark-events-processed.js';

/**
 * Writes a batch's events: events other than commits the supplier sent before (same source and id) are
 * skipped; the repositories are found or created at once, without locking them; the facts are written a few
 * statements per fact kind (set-based, with the effect of applying the events one by one in order) and the
 * activity rollups moved by the differences those writes made. Returns the ids of the repositories written.
 *
 * `markedBefore` holds the ids an earlier part of the same batch marked processed (`storeIsolating`): its
 * events count as fresh here too, as they would have in one write of the whole batch.
 */
export async function writeEvents(
  transaction: Queryable,
  source: string,
  events: readonly GenericEvent[],
  markedBefore: ReadonlySet<string> = new Set(),
): Promise<{ repositoryIds: string[]; marked: Set<string> }> {
  // A commit is named by its sha, which covers its content: writing it again changes nothing, so its sha is
  // its idempotency key. Every other event changes a fact whose fields a replay could set back (a title,
  // a name): those are applied once per supplier id. Commits are most of any import, and the dedup row
  // would cost as much as the fact's own.
  const marked = await markEventsProcessed(
    transaction,
    source,
    events.filter((event) => event.type !== 'commit').map((event) => event.id),
  );
  const fresh = events.filter(
    (event) => event.type === 'commit' || marked.has(event.id) || markedBefore.has(event.id),
  );
  const repositoryIds = await repositoryIdsByKey(
    transaction,
    fresh.map((event) => event.repository),
  );
  const touched = new TouchedDays();
  const changes = fresh.map((event) => ({
    repositoryId: repositoryIds.get(repositoryKey(event.repository))!,
    change: genericEventToFact(event),
  }));
  await applyFactChanges(transaction, changes, touched);
  await addActivityDeltas(transaction, touched);
  return { repositoryIds: [...new Set(repositoryIds.values())], marked };
}

/** The batch's repositories by key, each written once, in key order (so concurrent inserts wait in one order). */
async function repositoryIdsByKey(
  transaction: Queryable,
  references: RepositoryReference[],
): Promise<Map<string, string>> {
  const byKey = new Map<string, RepositoryReference>();
  for (const reference of references) {
    const key = repositoryKey(reference);
    if (!byKey.has(key)) byKey.set(key, reference);
  }
  const keys = [...byKey.keys()].sort();
  const ids = await upsertRepositories(
    transaction,
    keys.map((key) => byKey.get(key)!),
  );
  return new Map(keys.map((key, index) => [key, ids[index]!]));
}

function repositoryKey(repository: RepositoryReference): string {
  return `${repository.host}/${repository.owner}/${repository.name}`.toLowerCase();
}

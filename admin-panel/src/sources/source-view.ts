import { createTask } from 'node-cron';
import type { SourceRecord } from './source-store.js';

/** How many upcoming runs a source shows, so an admin sees what the expression means. */
const shownRuns = 5;

/** A source as the admin API answers it: with its schedule's next run times, in the cron's time zone. */
export function sourceView(source: SourceRecord, timezone: string) {
  return {
    id: source.id,
    kind: source.kind,
    target: source.target,
    schedule: source.schedule,
    timezone,
    nextRuns: source.enabled && source.schedule ? nextRuns(source.schedule, timezone) : [],
    enabled: source.enabled,
    webhookSecretSet: source.webhookSecretSet,
    createdAt: source.createdAt.toISOString(),
    updatedAt: source.updatedAt.toISOString(),
  };
}

function nextRuns(schedule: string, timezone: string): string[] {
  // The same matcher cron fires with; a task that is created but never started, then dropped.
  const task = createTask(schedule, () => undefined, { timezone });
  try {
    return task.getNextRuns(shownRuns).map((date) => date.toISOString());
  } finally {
    void task.destroy();
  }
}

import { createTask, parse, type ScheduledTask } from 'node-cron';
import { cronScheduleProblem, type Database, type Logger, type OutboxRelay } from '@repopulse/core';
import type { CronMetrics } from './cron-metrics.js';
import { fireOccurrence, type Occurrence } from './fire-occurrence.js';
import { latestOccurrence } from './latest-occurrence.js';
import { loadScheduledSources, pruneScheduleFirings, type ScheduledSource } from './scheduled-sources.js';

export interface SchedulerOptions {
  database: Database;
  relay: OutboxRelay;
  logger: Logger;
  metrics: CronMetrics;
  replicaId: string;
  timezone: string;
  catchUp: 'skip' | 'run-once';
  reloadIntervalMs: number;
  staleRunAfterMs: number;
}

export interface Scheduler {
  /** Loads the sources, catches up what was missed while no replica ran, and starts the schedules. */
  start(): Promise<void>;
  /** Reads the sources table again now (otherwise every `reloadIntervalMs`). */
  reload(): Promise<void>;
  /** Stops every schedule and waits for the firings in flight. Safe to call twice. */
  stop(): Promise<void>;
}

interface RunningSchedule {
  schedule: string;
  task: ScheduledTask;
  seconds: number[];
}

/** Tries after a failed firing (the database away for a moment); the other replicas fire it as well. */
const firingRetryDelaysMs = [250, 1_000, 4_000];
const pruneEveryMs = 3_600_000;

/**
 * Keeps one node-cron task per enabled, scheduled source, in step with the sources table, and fires each
 * occurrence through `fireOccurrence`, which makes it once across replicas. Every replica schedules every
 * source: there is no leader to elect or hand over, so a replica that dies leaves nothing undone.
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const { database, logger, metrics } = options;
  const running = new Map<string, RunningSchedule>();
  /** Source id → the invalid schedule already reported, so it is logged once, not every reload. */
  const invalid = new Map<string, string>();
  const inFlight = new Set<Promise<void>>();
  const initialInFlight = new Set<string>();
  let reloadTimer: NodeJS.Timeout | undefined;
  let reloading: Promise<void> | undefined;
  let lastPrune = 0;
  let stopped = false;

  function fire(occurrence: Occurrence): Promise<void> {
    const firing = fireWithRetries(occurrence).finally(() => inFlight.delete(firing));
    inFlight.add(firing);
    return firing;
  }

  async function fireWithRetries(occurrence: Occurrence): Promise<void> {
    const fields = {
      sourceId: occurrence.sourceId,
      occurrence: occurrence.at.toISOString(),
      reason: occurrence.reason,
    };
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await fireOccurrence(database, occurrence, options);
        metrics.fired(occurrence.reason, result.outcome);
        if (result.outcome === 'started') {
          logger.info('crawl started on schedule', { ...fields, crawlRunId: result.runId });
          options.relay.nudge();
        } else if (result.outcome === 'skipped') {
          logger.info('occurrence skipped', { ...fields, why: result.reason });
        }
        return;
      } catch (error) {
        const delay = firingRetryDelaysMs[attempt];
        if (delay === undefined || stopped) {
          metrics.fired(occurrence.reason, 'failed');
          logger.error('occurrence could not be fired', { ...fields, error });
          return;
        }
        logger.warn('occurrence not fired yet, retrying', { ...fields, error: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  function startSchedule(source: ScheduledSource & { schedule: string }): RunningSchedule | undefined {
    const problem = cronScheduleProblem(source.schedule);
    if (problem) {
      if (invalid.get(source.id) !== source.schedule) {
        logger.warn('source schedule is not a valid cron expression, skipped', {
          sourceId: source.id,
          schedule: source.schedule,
          problem,
        });
        invalid.set(source.id, source.schedule);
      }
      return undefined;
    }
    invalid.delete(source.id);
    const schedule = source.schedule;
    const occurrence = (at: Date, reason: 'schedule' | 'late'): Occurrence => ({
      sourceId: source.id,
      at,
      reason,
      schedule,
    });
    const task = createTask(schedule, (context) => fire(occurrence(context.date, 'schedule')), {
      name: `source-${source.id}`,
      timezone: options.timezone,
      logger: nodeCronLogger(logger),
    });
    // The tick came too late (a blocked event loop): fire it anyway, late; the run key keeps it once.
    task.on('execution:missed', (context) => void fire(occurrence(context.date, 'late')));
    void task.start();
    return { schedule, task, seconds: parse(schedule).second };
  }

  function stopSchedule(sourceId: string): void {
    const entry = running.get(sourceId);
    if (!entry) return;
    running.delete(sourceId);
    void entry.task.destroy();
  }

  /** Brings the running schedules in line with the table; answers the sources whose schedule started now. */
  function reconcile(sources: ScheduledSource[]): ScheduledSource[] {
    const started: ScheduledSource[] = [];
    const present = new Set(sources.map((source) => source.id));
    for (const sourceId of running.keys()) if (!present.has(sourceId)) stopSchedule(sourceId);
    for (const sourceId of invalid.keys()) if (!present.has(sourceId)) invalid.delete(sourceId);
    for (const source of sources) {
      if (!source.enabled || source.schedule === null) {
        stopSchedule(source.id);
        invalid.delete(source.id);
        continue;
      }
      if (running.get(source.id)?.schedule === source.schedule) continue;
      stopSchedule(source.id);
      const entry = startSchedule({ ...source, schedule: source.schedule });
      if (entry) {
        running.set(source.id, entry);
        started.push(source);
      }
    }
    metrics.sources(running.size, invalid.size);
    return started;
  }

  /** New sources crawl once at creation, then on their schedule. */
  function crawlNewSources(sources: ScheduledSource[]): void {
    for (const source of sources) {
      if (!source.enabled || !source.neverCrawled || initialInFlight.has(source.id)) continue;
      initialInFlight.add(source.id);
      void fire({ sourceId: source.id, at: source.createdAt, reason: 'initial' }).finally(() =>
        initialInFlight.delete(source.id),
      );
    }
  }

  /**
   * Occurrences missed while no replica ran, reckoned from the latest firing any replica recorded (or the
   * last edit of the source: what came before its schedule was set was never due). The latest of them
   * runs once, or none, by policy; if another replica is up and fired it, the run key keeps it once.
   */
  function catchUp(sources: ScheduledSource[], now: Date): void {
    for (const source of sources) {
      const entry = running.get(source.id);
      if (!entry || source.neverCrawled) continue;
      const since = new Date(Math.max(source.updatedAt.getTime(), source.lastOccurrence?.getTime() ?? 0));
      const missed = latestOccurrence(entry.task, entry.seconds, { after: since, upTo: now });
      if (!missed) continue;
      const fields = { sourceId: source.id, occurrence: missed.toISOString(), policy: options.catchUp };
      if (options.catchUp === 'skip') {
        metrics.missedSkipped();
        logger.info('occurrence missed while no replica ran, skipped', fields);
        continue;
      }
      logger.info('occurrence missed while no replica ran, running it once', fields);
      void fire({ sourceId: source.id, at: missed, reason: 'catch-up', schedule: entry.schedule });
    }
  }

  async function reloadOnce(withCatchUp: boolean): Promise<void> {
    const now = new Date();
    const sources = await loadScheduledSources(database);
    if (stopped) return;
    const started = reconcile(sources);
    if (withCatchUp) catchUp(started, now);
    crawlNewSources(sources);
    if (Date.now() - lastPrune > pruneEveryMs) {
      lastPrune = Date.now();
      const pruned = await pruneScheduleFirings(database);
      if (pruned > 0) logger.debug('old schedule firings pruned', { pruned });
    }
  }

  function reload(withCatchUp = false): Promise<void> {
    reloading ??= reloadOnce(withCatchUp).finally(() => (reloading = undefined));
    return reloading;
  }

  function scheduleReloads(): void {
    if (stopped) return;
    reloadTimer = setTimeout(() => {
      reload().then(scheduleReloads, (error: unknown) => {
        logger.warn('sources could not be read, keeping the schedules as they were', {
          error: (error as Error).message,
        });
        scheduleReloads();
      });
    }, options.reloadIntervalMs);
  }

  return {
    async start() {
      await reload(true);
      scheduleReloads();
    },
    reload: () => reload(),
    async stop() {
      stopped = true;
      clearTimeout(reloadTimer);
      for (const sourceId of [...running.keys()]) stopSchedule(sourceId);
      await reloading?.catch(() => undefined);
      await Promise.all([...inFlight]);
    },
  };
}

/** node-cron's own warnings and errors, into the module's log. */
function nodeCronLogger(logger: Logger) {
  return {
    info: (message: string) => logger.info(message, { from: 'node-cron' }),
    warn: (message: string) => logger.warn(message, { from: 'node-cron' }),
    error: (message: string | Error, error?: Error) =>
      logger.error(String(message), { from: 'node-cron', error: error ?? message }),
    debug: (message: string | Error) => logger.debug(String(message), { from: 'node-cron' }),
  };
}

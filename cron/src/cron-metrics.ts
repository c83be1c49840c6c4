import { Counter, Gauge, type Registry } from 'prom-client';

export function createCronMetrics(registry: Registry) {
  const firings = new Counter({
    name: 'cron_firings_total',
    help: 'Occurrences this replica fired, by reason (schedule, late, catch-up, initial) and outcome',
    labelNames: ['reason', 'outcome'],
    registers: [registry],
  });
  const missed = new Counter({
    name: 'cron_missed_occurrences_skipped_total',
    help: 'Sources whose occurrences were missed while no replica ran and, by CRON_CATCH_UP=skip, not run',
    registers: [registry],
  });
  const scheduled = new Gauge({
    name: 'cron_scheduled_sources',
    help: 'Enabled sources whose schedule this replica is running',
    registers: [registry],
  });
  const invalid = new Gauge({
    name: 'cron_invalid_schedules',
    help: 'Enabled sources whose schedule is not a valid cron expression (skipped)',
    registers: [registry],
  });
  return {
    fired: (reason: string, outcome: string) => firings.inc({ reason, outcome }),
    missedSkipped: () => missed.inc(),
    sources: (running: number, invalidCount: number) => {
      scheduled.set(running);
      invalid.set(invalidCount);
    },
  };
}

export type CronMetrics = ReturnType<typeof createCronMetrics>;

import { Counter, type Registry } from 'prom-client';

/** Messages settled per queue and outcome: processed, duplicate, retried, dead-lettered. */
export function createEngineMetrics(registry: Registry) {
  const messages = new Counter({
    name: 'engine_messages_total',
    help: 'Messages settled by queue and outcome',
    labelNames: ['queue', 'outcome'],
    registers: [registry],
  });
  return {
    outcome: (queue: string) => (outcome: string) => messages.inc({ queue, outcome }),
  };
}

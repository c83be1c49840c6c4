import { createRouter } from '@repopulse/core';
import { type Router } from 'express';

/** Big tech's main GitHub organisations run nightly by default: daily numbers, off-peak for GitHub's API. */
const presetSchedule = '0 3 * * *';

/**
 * Ready-made lists of sources an admin may edit before adding them. The targets are the organisations
 * where each company publishes most of its open source (Amazon splits between aws and amzn).
 */
const presets = [
  {
    id: 'big-tech',
    name: 'Big tech',
    description: 'The main GitHub organisations of the largest technology companies',
    sources: [
      { company: 'Apple', target: 'apple' },
      { company: 'Microsoft', target: 'microsoft' },
      { company: 'Alphabet (Google)', target: 'google' },
      { company: 'Amazon', target: 'aws' },
      { company: 'Amazon', target: 'amzn' },
      { company: 'NVIDIA', target: 'NVIDIA' },
      { company: 'Meta', target: 'facebook' },
      { company: 'Tesla', target: 'teslamotors' },
    ].map((source) => ({ kind: 'github-org' as const, ...source, schedule: presetSchedule })),
  },
];

/** `GET /api/source-presets`. */
export function sourcePresetsRoute(): Router {
  const router = createRouter();
  router.get('/api/source-presets', (_request, response) => {
    response.json({ presets });
  });
  return router;
}

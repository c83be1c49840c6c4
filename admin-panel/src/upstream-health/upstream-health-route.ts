import { createRouter, type Queryable } from '@repopulse/core';
import { type Router } from 'express';
import { selectSourceHealth, selectTokenHealth } from './upstream-health-store.js';

const iso = (date: Date | null) => date?.toISOString() ?? null;

/**
 * `GET /api/upstream-health`: how each source's crawls go, and the GitHub token pool as GitHub last
 * reported it to the engine (tokens are known by their label, never shown).
 */
export function upstreamHealthRoute(options: { database: Queryable }): Router {
  const router = createRouter();
  router.get('/api/upstream-health', async (_request, response) => {
    const [sources, tokens] = await Promise.all([
      selectSourceHealth(options.database),
      selectTokenHealth(options.database),
    ]);
    response.json({
      sources: sources.map((source) => ({
        ...source,
        lastSuccessAt: iso(source.lastSuccessAt),
        lastErrorAt: iso(source.lastErrorAt),
      })),
      tokens: tokens.map((token) => ({
        ...token,
        resetAt: iso(token.resetAt),
        rejectedAt: iso(token.rejectedAt),
        updatedAt: token.updatedAt.toISOString(),
      })),
    });
  });
  return router;
}

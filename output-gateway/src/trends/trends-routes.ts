import { type Router } from 'express';
import { createRouter, type Queryable } from '@repopulse/core';
import { sendCacheableJson } from '../http/send-cacheable-json.js';
import { capToScope, readScopeOf } from '../scopes/read-scope.js';
import { readFastestGrowing } from './read-fastest-growing.js';
import { readLanguageShares } from './read-language-shares.js';
import { readMostActive } from './read-most-active.js';
import { createTrendsParametersParser } from './trends-parameters.js';

/** `GET /trends`: fastest-growing and most active repositories and language shares over a window. */
export function trendsRoutes(options: { database: Queryable }): Router {
  const { database } = options;
  const parseParameters = createTrendsParametersParser();
  const router = createRouter();

  router.get('/trends', async (request, response) => {
    const { period, filters, limit } = parseParameters(request.query, new Date());
    // The answer echoes the filters asked for; the caller's scope narrows every part of it besides.
    const scope = readScopeOf(request);
    const considered = { ...filters, allowed: scope.allowed };
    const length = capToScope(scope, limit);
    // Three independent statements, each on a connection of its own, so the answer waits for the slowest.
    const [fastestGrowing, mostActive, languages] = await Promise.all([
      readFastestGrowing(database, period, considered, length),
      readMostActive(database, period, considered, length),
      readLanguageShares(database, period, considered),
    ]);
    sendCacheableJson(request, response, {
      window: period.window,
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      filters,
      fastestGrowing,
      mostActive,
      languages,
    });
  });

  return router;
}

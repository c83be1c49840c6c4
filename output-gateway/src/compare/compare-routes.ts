import { type Router } from 'express';
import { createRouter, NotFoundError, type Queryable } from '@repopulse/core';
import { sendCacheableJson } from '../http/send-cacheable-json.js';
import { readMetricSeries } from '../metrics/read-metric-series.js';
import { readScopeOf, refuseOwnerOutsideScope } from '../scopes/read-scope.js';
import { createCompareParametersParser } from './compare-parameters.js';
import { readComparedRepositories } from './read-compared-repositories.js';

/** `GET /compare`: several repositories' latest metrics side by side, and their series when asked. */
export function compareRoutes(options: { database: Queryable }): Router {
  const { database } = options;
  const parseParameters = createCompareParametersParser();
  const router = createRouter();

  router.get('/compare', async (request, response) => {
    const { host, repositories: listed, names, range } = parseParameters(request.query, new Date());
    const scope = readScopeOf(request);
    for (const { owner } of listed) refuseOwnerOutsideScope(scope, { host, owner });
    const compared = await readComparedRepositories(database, host, listed, names);
    const unknown = compared.filter((repository) => repository.id === undefined);
    if (unknown.length > 0) {
      const named = unknown.map(({ listed }) => `${listed.owner}/${listed.name}`).join(', ');
      throw new NotFoundError(`No repository ${named} on ${host}`);
    }
    const series = range
      ? await readMetricSeries(
          database,
          compared.map(({ id }) => id!),
          names,
          range,
        )
      : undefined;
    sendCacheableJson(request, response, {
      names,
      repositories: compared.map(({ id, host, owner, name, computedAt, healthScore, metrics }) => ({
        repository: { host, owner, name },
        computedAt,
        healthScore,
        metrics,
        ...(series ? { series: series.get(id!) ?? [] } : {}),
      })),
      ...(range
        ? { interval: range.interval, from: range.from.toISOString(), to: range.to.toISOString() }
        : {}),
    });
  });

  return router;
}

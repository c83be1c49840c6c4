import { type Router } from 'express';
import { createRouter, NotFoundError, type Queryable } from '@repopulse/core';
import { sendCacheableJson } from '../http/send-cacheable-json.js';
import { findRepository } from '../repositories/find-repository.js';
import { readScopeOf, refuseOwnerOutsideScope } from '../scopes/read-scope.js';
import { createMetricSeriesParametersParser } from './metric-series-parameters.js';
import { readMetricSeries } from './read-metric-series.js';

/** `GET /repositories/{owner}/{name}/metrics`: the named metrics of one repository per interval. */
export function metricSeriesRoutes(options: { database: Queryable }): Router {
  const { database } = options;
  const parseParameters = createMetricSeriesParametersParser();
  const router = createRouter();

  router.get('/repositories/:owner/:name/metrics', async (request, response) => {
    const { host, names, ...range } = parseParameters(request.query, new Date());
    const { owner, name } = request.params;
    refuseOwnerOutsideScope(readScopeOf(request), { host, owner });
    const repository = await findRepository(database, { host, owner, name });
    if (!repository) throw new NotFoundError(`No repository ${owner}/${name} on ${host}`);
    const series = await readMetricSeries(database, [repository.id], names, range);
    sendCacheableJson(request, response, {
      repository: { host: repository.host, owner: repository.owner, name: repository.name },
      names,
      interval: range.interval,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      series: series.get(repository.id) ?? [],
    });
  });

  return router;
}

import { Router } from 'express';
import { NotFoundError, type Queryable } from '@repopulse/core';
import { sendCacheableJson } from '../http/send-cacheable-json.js';
import { findRepository } from '../repositories/find-repository.js';
import { createActivityParametersParser } from './activity-parameters.js';
import { readActivitySeries } from './read-activity-series.js';

/** `GET /repositories/{owner}/{name}/activity`: the repository's activity as a zero-filled series. */
export function activityRoutes(options: { database: Queryable }): Router {
  const { database } = options;
  const parseParameters = createActivityParametersParser();
  const router = Router();

  router.get('/repositories/:owner/:name/activity', async (request, response) => {
    const { host, ...range } = parseParameters(request.query, new Date());
    const { owner, name } = request.params;
    const repository = await findRepository(database, { host, owner, name });
    if (!repository) throw new NotFoundError(`No repository ${owner}/${name} on ${host}`);
    const series = await readActivitySeries(database, repository.id, range);
    sendCacheableJson(request, response, {
      repository: { host: repository.host, owner: repository.owner, name: repository.name },
      interval: range.interval,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      series,
    });
  });

  return router;
}

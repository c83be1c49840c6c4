import { type Router } from 'express';
import { createRouter, NotFoundError, type Queryable } from '@repopulse/core';
import { sendCacheableJson } from '../http/send-cacheable-json.js';
import { capToScope, readScopeOf, refuseOwnerOutsideScope } from '../scopes/read-scope.js';
import { utcDay } from './active-repository.js';
import { topRepositoryCount } from './organization-endpoint.js';
import { createOrganizationParametersParser } from './organization-parameters.js';
import { readOrganizationPortfolio } from './read-organization-portfolio.js';
import { readOwnerActivitySeries } from './read-owner-activity-series.js';

/** `GET /organizations/{owner}`: the owner's portfolio, with its activity as a zero-filled series. */
export function organizationRoutes(options: { database: Queryable }): Router {
  const { database } = options;
  const parseParameters = createOrganizationParametersParser();
  const router = createRouter();

  router.get('/organizations/:owner', async (request, response) => {
    const now = new Date();
    const { host, activity } = parseParameters(request.query, now);
    const owner = { host, owner: request.params.owner };
    const scope = readScopeOf(request);
    refuseOwnerOutsideScope(scope, owner);
    // Two statements on two connections at once: the portfolio and the rollup series are independent.
    const [portfolio, series] = await Promise.all([
      readOrganizationPortfolio(database, owner, utcDay(now), capToScope(scope, topRepositoryCount)),
      readOwnerActivitySeries(database, owner, activity),
    ]);
    if (portfolio.repositories.total === 0 || portfolio.owner === null) {
      throw new NotFoundError(`No repositories of ${owner.owner} on ${host}`);
    }
    sendCacheableJson(request, response, {
      host: host.toLowerCase(),
      owner: portfolio.owner,
      repositories: portfolio.repositories,
      stars: portfolio.stars,
      forks: portfolio.forks,
      languages: portfolio.languages,
      topRepositories: portfolio.topRepositories,
      activity: {
        interval: activity.interval,
        from: activity.from.toISOString(),
        to: activity.to.toISOString(),
        series,
      },
      health: portfolio.health,
    });
  });

  return router;
}

import { type Router } from 'express';
import { createRouter, NotFoundError, type Queryable } from '@repopulse/core';
import { sendCacheableJson } from '../http/send-cacheable-json.js';
import { presentSnapshotMetrics } from '../metrics/snapshot-metrics.js';
import { compileEndpointQuery } from '../openapi/query-schema.js';
import { readScopeOf, refuseOwnerOutsideScope } from '../scopes/read-scope.js';
import { readRepositoryDetail } from './read-repository-detail.js';
import { readRepositoryPage } from './read-repository-list.js';
import { repositoryDetailEndpoint } from './repository-detail-endpoint.js';
import { encodeCursor } from './repository-list-cursor.js';
import { wantsCsv } from '../http/send-csv.js';
import { sendRepositoryListCsv } from './repository-list-csv.js';
import { createRepositoryListParametersParser, pageSizeOf } from './repository-list-parameters.js';

const defaultHost = 'github.com';
const notComputedNote =
  'The metrics of this repository have not been computed yet: they follow its first crawl.';

/** `GET /repositories` (JSON or CSV) and `GET /repositories/{owner}/{name}`. */
export function repositoryRoutes(options: { database: Queryable }): Router {
  const { database } = options;
  const parseListParameters = createRepositoryListParametersParser();
  const validateDetailQuery = compileEndpointQuery<{ host?: string }>(repositoryDetailEndpoint);
  const router = createRouter();

  router.get('/repositories', async (request, response) => {
    const parameters = parseListParameters(request.query, readScopeOf(request));
    if (wantsCsv(request, parameters.format)) {
      await sendRepositoryListCsv(database, request, response, parameters);
      return;
    }
    const { sort, order } = parameters;
    const limit = pageSizeOf(parameters);
    const page = await readRepositoryPage(database, { ...parameters, limit });
    sendCacheableJson(request, response, {
      items: page.items,
      sort,
      order,
      limit,
      next: page.next ? encodeCursor(sort, order, page.next) : null,
    });
  });

  router.get('/repositories/:owner/:name', async (request, response) => {
    const { host = defaultHost } = validateDetailQuery(request.query);
    const { owner, name } = request.params;
    refuseOwnerOutsideScope(readScopeOf(request), { host, owner });
    const detail = await readRepositoryDetail(database, { host, owner, name });
    if (!detail) throw new NotFoundError(`No repository ${owner}/${name} on ${host}`);
    const { repository, snapshot } = detail;
    if (!snapshot) {
      sendCacheableJson(request, response, {
        repository,
        computedAt: null,
        metrics: {},
        metricDetails: {},
        health: null,
        note: notComputedNote,
      });
      return;
    }
    sendCacheableJson(request, response, {
      repository,
      computedAt: snapshot.computedAt,
      ...presentSnapshotMetrics(snapshot.metrics),
      health: snapshot.health,
    });
  });

  return router;
}

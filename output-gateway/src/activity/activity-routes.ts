import { type Router } from 'express';
import { createRouter, NotFoundError, type Queryable } from '@repopulse/core';
import { sendCacheableJson } from '../http/send-cacheable-json.js';
import { sendCsv, wantsCsv } from '../http/send-csv.js';
import { findRepository } from '../repositories/find-repository.js';
import { readScopeOf, refuseOwnerOutsideScope } from '../scopes/read-scope.js';
import { createActivityParametersParser } from './activity-parameters.js';
import { readActivitySeries } from './read-activity-series.js';

/** The CSV answer's columns: a bucket's fields, in the JSON answer's order. */
const activityColumns = [
  'start',
  'commits',
  'pullRequestsOpened',
  'pullRequestsMerged',
  'issuesOpened',
  'issuesClosed',
  'releases',
  'stars',
  'forks',
] as const;

/**
 * `GET /repositories/{owner}/{name}/activity`: the repository's activity as a zero-filled series, as JSON
 * or (`Accept: text/csv`, `format=csv`) as CSV, a row per bucket.
 */
export function activityRoutes(options: { database: Queryable }): Router {
  const { database } = options;
  const parseParameters = createActivityParametersParser();
  const router = createRouter();

  router.get('/repositories/:owner/:name/activity', async (request, response) => {
    const { host, format, ...range } = parseParameters(request.query, new Date());
    const { owner, name } = request.params;
    refuseOwnerOutsideScope(readScopeOf(request), { host, owner });
    const repository = await findRepository(database, { host, owner, name });
    if (!repository) throw new NotFoundError(`No repository ${owner}/${name} on ${host}`);
    const series = await readActivitySeries(database, repository.id, range);
    if (wantsCsv(request, format)) {
      // At most a thousand buckets, already read: the rows themselves make the ETag.
      await sendCsv(request, response, {
        fingerprint: `activity.csv 1|${JSON.stringify(series)}`,
        header: activityColumns,
        async *pages() {
          yield series.map((bucket) => activityColumns.map((column) => bucket[column]));
        },
      });
      return;
    }
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

import { invalidParameter } from '../http/query-parameters.js';
import { metricNames } from '../metrics/metric-names.js';
import { parseMetricNames } from '../metrics/metric-names-parameter.js';
import { compileEndpointQuery } from '../openapi/query-schema.js';
import { resolveTimeRange, type Interval, type TimeRange } from '../time-range/time-range.js';
import { compareEndpoint, maxCompared, minCompared } from './compare-endpoint.js';

const defaultInterval: Interval = 'week';
const defaultHost = 'github.com';

interface CompareQuery {
  repos: string;
  names?: string;
  from?: string;
  to?: string;
  interval?: Interval;
  host?: string;
}

export interface ComparedName {
  owner: string;
  name: string;
}

export interface CompareParameters {
  host: string;
  repositories: ComparedName[];
  names: string[];
  /** Present when `from`, `to` or `interval` asked for series. */
  range: TimeRange | undefined;
}

const ownerAndName = /^([^/\s]+)\/([^/\s]+)$/;

function parseRepositories(text: string): ComparedName[] {
  const listed = text.split(',');
  if (listed.length < minCompared || listed.length > maxCompared) {
    throw invalidParameter(
      'repos',
      `Query parameter "repos" must list ${minCompared} to ${maxCompared} repositories, got ${listed.length}`,
    );
  }
  const repositories = listed.map((entry) => {
    const match = ownerAndName.exec(entry);
    if (!match) {
      throw invalidParameter('repos', `Query parameter "repos" must list owner/name pairs, got "${entry}"`);
    }
    return { owner: match[1]!, name: match[2]! };
  });
  const keys = repositories.map(({ owner, name }) => `${owner}/${name}`.toLowerCase());
  const repeated = keys.find((key, index) => keys.indexOf(key) !== index);
  if (repeated !== undefined) {
    throw invalidParameter('repos', `Query parameter "repos" lists ${repeated} twice`);
  }
  return repositories;
}

/** Compiled once when the routes are built; the returned function reads one request's query string. */
export function createCompareParametersParser(): (query: unknown, now: Date) => CompareParameters {
  const validateQuery = compileEndpointQuery<CompareQuery>(compareEndpoint);
  return (query, now) => {
    const { repos, names, from, to, interval, host = defaultHost } = validateQuery(query);
    const wantsSeries = from !== undefined || to !== undefined || interval !== undefined;
    return {
      host,
      repositories: parseRepositories(repos),
      names: parseMetricNames(names, metricNames),
      range: wantsSeries
        ? resolveTimeRange({ from, to, interval: interval ?? defaultInterval }, now)
        : undefined,
    };
  };
}

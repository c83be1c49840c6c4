import { compileEndpointQuery } from '../openapi/query-schema.js';
import { resolveTimeRange, type Interval, type TimeRange } from '../time-range/time-range.js';
import { organizationEndpoint } from './organization-endpoint.js';

const defaultInterval: Interval = 'week';
const defaultHost = 'github.com';

interface OrganizationQuery {
  from?: string;
  to?: string;
  interval?: Interval;
  host?: string;
}

export interface OrganizationParameters {
  host: string;
  /** The range of the activity series; the rest of the portfolio is as of now. */
  activity: TimeRange;
}

/** Compiled once when the routes are built; the returned function reads one request's query string. */
export function createOrganizationParametersParser(): (query: unknown, now: Date) => OrganizationParameters {
  const validateQuery = compileEndpointQuery<OrganizationQuery>(organizationEndpoint);
  return (query, now) => {
    const { from, to, interval = defaultInterval, host = defaultHost } = validateQuery(query);
    return { host, activity: resolveTimeRange({ from, to, interval }, now) };
  };
}

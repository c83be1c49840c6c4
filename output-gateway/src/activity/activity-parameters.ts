import { compileEndpointQuery } from '../openapi/query-schema.js';
import { activityEndpoint } from './activity-endpoint.js';
import { resolveTimeRange, type Interval, type TimeRange } from '../time-range/time-range.js';

const defaultInterval: Interval = 'week';
const defaultHost = 'github.com';

interface ActivityQuery {
  from?: string;
  to?: string;
  interval?: Interval;
  host?: string;
  format?: 'json' | 'csv';
}

export interface ActivityParameters extends TimeRange {
  host: string;
  format: 'json' | 'csv' | undefined;
}

// `from` and `to` are plain strings in the schema: their formats and the rules between them are checked by
// resolveTimeRange, which can name the parameter and the expected form.
/** Compiled once when the routes are built; the returned function reads one request's query string. */
export function createActivityParametersParser(): (query: unknown, now: Date) => ActivityParameters {
  const validateQuery = compileEndpointQuery<ActivityQuery>(activityEndpoint);
  return (query, now) => {
    const { from, to, interval = defaultInterval, host = defaultHost, format } = validateQuery(query);
    return { host, format, ...resolveTimeRange({ from, to, interval }, now) };
  };
}

import { compileEndpointQuery } from '../openapi/query-schema.js';
import { resolveTimeRange, type Interval, type TimeRange } from '../time-range/time-range.js';
import { seriesNames } from './metric-names.js';
import { parseMetricNames } from './metric-names-parameter.js';
import { metricSeriesEndpoint } from './metric-series-endpoint.js';

const defaultInterval: Interval = 'week';
const defaultHost = 'github.com';

interface MetricSeriesQuery {
  names?: string;
  from?: string;
  to?: string;
  interval?: Interval;
  host?: string;
}

export interface MetricSeriesParameters extends TimeRange {
  host: string;
  names: string[];
}

/** Compiled once when the routes are built; the returned function reads one request's query string. */
export function createMetricSeriesParametersParser(): (query: unknown, now: Date) => MetricSeriesParameters {
  const validateQuery = compileEndpointQuery<MetricSeriesQuery>(metricSeriesEndpoint);
  return (query, now) => {
    const { names, from, to, interval = defaultInterval, host = defaultHost } = validateQuery(query);
    return {
      host,
      names: parseMetricNames(names, seriesNames),
      ...resolveTimeRange({ from, to, interval }, now),
    };
  };
}

import { compileQueryValidator } from '../http/query-parameters.js';
import { intervals, resolveTimeRange, type Interval, type TimeRange } from '../time-range/time-range.js';

const defaultInterval: Interval = 'week';
const defaultHost = 'github.com';

interface ActivityQuery {
  from?: string;
  to?: string;
  interval?: Interval;
  host?: string;
}

export interface ActivityParameters extends TimeRange {
  host: string;
}

// `from` and `to` are plain strings here: their formats and the rules between them are checked by
// resolveTimeRange, which can name the parameter and the expected form.
const activityQuerySchema = {
  type: 'object',
  properties: {
    from: { type: 'string' },
    to: { type: 'string' },
    interval: { type: 'string', enum: [...intervals] },
    host: { type: 'string', minLength: 1, maxLength: 255 },
  },
  additionalProperties: false,
} as const;

/** Compiled once when the routes are built; the returned function reads one request's query string. */
export function createActivityParametersParser(): (query: unknown, now: Date) => ActivityParameters {
  const validateQuery = compileQueryValidator<ActivityQuery>(activityQuerySchema);
  return (query, now) => {
    const { from, to, interval = defaultInterval, host = defaultHost } = validateQuery(query);
    return { host, ...resolveTimeRange({ from, to, interval }, now) };
  };
}

import { compileEndpointQuery } from '../openapi/query-schema.js';
import { utcDay } from '../organizations/active-repository.js';
import type { ReadScope } from '../scopes/read-scope.js';
import {
  defaultTrendLimit,
  trendsEndpoint,
  trendWindows,
  type TrendScope,
  type TrendWindow,
} from './trends-endpoint.js';

const dayMs = 24 * 60 * 60 * 1000;

interface TrendsQuery {
  window?: TrendWindow;
  language?: string;
  owner?: string;
  host?: string;
  scope?: TrendScope;
  limit?: string;
}

/** Which repositories a trend considers; absent filters are null. */
export interface TrendFilters {
  language: string | null;
  owner: string | null;
  host: string | null;
  scope: TrendScope;
  /** The caller's scope: only repositories of these owners, hosts, languages (lowercased). */
  allowed?: ReadScope['allowed'];
}

/** The window as whole UTC days: `days` days ending with `today`, i.e. [from, to). */
export interface TrendPeriod {
  window: TrendWindow;
  days: number;
  /** `YYYY-MM-DD`, the window's last day. */
  today: string;
  /** `YYYY-MM-DD`, the day before the window's first. */
  dayBefore: string;
  from: Date;
  to: Date;
}

export interface TrendsParameters {
  period: TrendPeriod;
  filters: TrendFilters;
  limit: number;
}

/** Compiled once when the routes are built; the returned function reads one request's query string. */
export function createTrendsParametersParser(): (query: unknown, now: Date) => TrendsParameters {
  const validateQuery = compileEndpointQuery<TrendsQuery>(trendsEndpoint);
  return (query, now) => {
    const parsed = validateQuery(query);
    return {
      period: trendPeriod(parsed.window ?? '30d', now),
      filters: {
        language: parsed.language ?? null,
        owner: parsed.owner ?? null,
        host: parsed.host ?? null,
        scope: parsed.scope ?? 'all',
      },
      // The schema's pattern admits 1-100 only.
      limit: parsed.limit === undefined ? defaultTrendLimit : Number(parsed.limit),
    };
  };
}

// The window ends with the current UTC day, so the answer (and its ETag) moves once a day, not each request.
function trendPeriod(window: TrendWindow, now: Date): TrendPeriod {
  const days = trendWindows[window];
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  const from = new Date(to.getTime() - days * dayMs);
  return {
    window,
    days,
    today: utcDay(new Date(to.getTime() - dayMs)),
    dayBefore: utcDay(new Date(from.getTime() - dayMs)),
    from,
    to,
  };
}

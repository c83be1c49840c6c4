import type { Logger, Queryable } from '@repopulse/core';
import {
  GithubNotFoundError,
  GithubQueryTooExpensiveError,
  GithubRequestError,
  GithubServerError,
  GithubUnavailableError,
  type GithubGraphqlErrorDetail,
} from './github-errors.js';
import {
  readCachedAnswer,
  storeCachedAnswer,
  touchCachedAnswer,
  type CachedAnswer,
} from './github-http-cache.js';
import { sendToGithub, type TransportSettings } from './github-request.js';
import { createTokenPool, type TokenState } from './github-token-pool.js';

export * from './github-errors.js';
export { AdaptivePageSize, withAdaptivePageSize } from './adaptive-page-size.js';
export type { TokenState } from './github-token-pool.js';

export interface GithubClientOptions {
  /** GITHUB_API_URL: `https://api.github.com`, a GHES `https://host/api/v3`, or a test server. */
  apiUrl: string;
  /** GITHUB_TOKENS; none means anonymous (REST only, 60 requests an hour). */
  tokens: readonly string[];
  /** For the shared token state and the ETag cache; used outside any transaction (pass the pool). */
  database: Queryable;
  logger: Logger;
  userAgent?: string;
  fetch?: typeof fetch;
  requestTimeoutMs?: number;
  /** Retries of a 5xx, network error or timeout inside the client (default 2). */
  maxRetries?: number;
  retryBaseDelayMs?: number;
  /** Secondary limits asking for a pause up to this long are waited out in place (default 60 s). */
  maxSecondaryWaitMs?: number;
  /** How stale the in-memory copy of `github_tokens` may get (default 5 s). */
  tokenStateRefreshMs?: number;
  now?: () => number;
}

export interface GraphqlRequestOptions {
  signal?: AbortSignal;
  /**
   * For batched alias queries: answer with what resolved and the `errors` (NOT_FOUND, FORBIDDEN…) of the
   * rest instead of throwing; `data` is then null when nothing resolved.
   */
  allowPartial?: boolean;
}

export interface GraphqlAnswer<T> {
  data: T;
  /** Points charged: `rateLimit.cost` when the query selects it, else 1. */
  cost: number;
  /** Only with `allowPartial`: GitHub's errors beside the data (empty when there were none). */
  errors?: GithubGraphqlErrorDetail[];
}

export interface RestAnswer<T> {
  data: T;
  status: number;
  /** Served from the ETag cache after a 304, which GitHub does not charge. */
  fromCache: boolean;
  link: string | null;
  cost: number;
}

export interface RestRequestOptions {
  signal?: AbortSignal;
  accept?: string;
}

export interface RestPage<T> {
  items: T[];
  fromCache: boolean;
  cost: number;
}

export interface GithubClient {
  /**
   * Runs a GraphQL query. Select `rateLimit { cost remaining resetAt }` to have its cost counted exactly.
   * Throws GithubNotFoundError on NOT_FOUND, GithubQueryTooExpensiveError when GitHub gives up on the
   * query's size, RateLimitedError when every token is spent.
   */
  graphql<T>(
    query: string,
    variables?: Record<string, unknown>,
    options?: GraphqlRequestOptions,
  ): Promise<GraphqlAnswer<T>>;
  /** REST GET of a path under the API root (or an absolute URL on it), through the ETag cache. */
  rest<T>(path: string, options?: RestRequestOptions): Promise<RestAnswer<T>>;
  /** Every page of a REST list, following Link rel="next" (100 per page unless the path sets per_page). */
  restPages<T>(path: string, options?: RestRequestOptions): AsyncIterable<RestPage<T>>;
  /** The pool per token and resource, for the admin panel. */
  tokenStates(): Promise<TokenState[]>;
}

const defaultAccept = 'application/vnd.github+json';

/** GraphQL sits at `/graphql` beside api.github.com's REST root, at `/api/graphql` on GitHub Enterprise. */
export function graphqlUrlOf(apiUrl: string): string {
  const root = apiUrl.replace(/\/+$/, '');
  return /\/api\/v3$/.test(root) ? root.replace(/\/api\/v3$/, '/api/graphql') : `${root}/graphql`;
}

/** The `rel="next"` URL of a Link header. */
export function nextLink(link: string | null): string | null {
  for (const part of link?.split(',') ?? []) {
    const match = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (match?.[2]?.split(/\s+/).includes('next')) return match[1] ?? null;
  }
  return null;
}

interface GraphqlBody {
  data?: Record<string, unknown> | null;
  errors?: GithubGraphqlErrorDetail[];
}

const tooExpensiveMessage = /Something went wrong while executing your query|timeout/i;

function graphqlError(status: number, errors: GithubGraphqlErrorDetail[]): Error {
  const message = errors.map((error) => error.message).join('; ');
  if (
    errors.some(
      (error) => error.type === 'RESOURCE_LIMITS_EXCEEDED' || tooExpensiveMessage.test(error.message),
    )
  ) {
    return new GithubQueryTooExpensiveError(message, status);
  }
  if (errors.every((error) => error.type === 'NOT_FOUND')) return new GithubNotFoundError(404, message);
  if (errors.some((error) => /access blocked/i.test(error.message)))
    return new GithubUnavailableError(451, message);
  if (errors.some((error) => error.type === 'FORBIDDEN')) return new GithubUnavailableError(403, message);
  if (errors.some((error) => error.type === 'SERVICE_UNAVAILABLE' || error.type === 'INTERNAL')) {
    return new GithubServerError(message, status);
  }
  return new GithubRequestError(status, `GitHub refused the GraphQL query: ${message}`, errors);
}

/**
 * The GitHub API transport of the crawlers: GraphQL and REST through a shared token pool (table
 * `github_tokens`), conditional REST reads through an ETag cache (table `github_http_cache`), retries of
 * what is transient and typed errors for the rest (github-errors.ts). Tokens never reach a log.
 */
export function createGithubClient(options: GithubClientOptions): GithubClient {
  const apiUrl = options.apiUrl.replace(/\/+$/, '');
  const apiOrigin = new URL(apiUrl).origin;
  const graphqlUrl = graphqlUrlOf(apiUrl);
  const logger = options.logger.child({ module: 'github-client' });
  const now = options.now ?? Date.now;
  const pool = createTokenPool({
    tokens: options.tokens,
    database: options.database,
    logger,
    refreshIntervalMs: options.tokenStateRefreshMs,
    now,
  });
  const settings: TransportSettings = {
    pool,
    fetch: options.fetch ?? globalThis.fetch,
    logger,
    userAgent: options.userAgent ?? 'repo-pulse',
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    maxRetries: options.maxRetries ?? 2,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 1_000,
    maxSecondaryWaitMs: options.maxSecondaryWaitMs ?? 60_000,
    now,
  };

  function resolveUrl(path: string): string {
    if (!/^https?:\/\//.test(path)) return `${apiUrl}${path.startsWith('/') ? '' : '/'}${path}`;
    // A Link header is followed only on the API's own host: a token must never be sent anywhere else.
    if (new URL(path).origin !== apiOrigin)
      throw new Error(`refusing to send a GitHub token to ${new URL(path).origin}`);
    return path;
  }

  // The cache saves quota; if PostgreSQL cannot serve it, the request simply goes out unconditional.
  async function cacheStep<T>(what: string, step: () => Promise<T>): Promise<T | undefined> {
    try {
      return await step();
    } catch (error) {
      logger.warn('GitHub HTTP cache unavailable', { what, error: (error as Error).message });
      return undefined;
    }
  }

  async function graphql<T>(
    query: string,
    variables: Record<string, unknown> = {},
    requestOptions: GraphqlRequestOptions = {},
  ): Promise<GraphqlAnswer<T>> {
    const answer = await sendToGithub(settings, {
      resource: 'graphql',
      method: 'POST',
      url: graphqlUrl,
      what: 'GraphQL query',
      headers: { accept: defaultAccept, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal: requestOptions.signal,
      isRateLimitedBody: (body) =>
        (body as GraphqlBody | null)?.errors?.some((e) => e.type === 'RATE_LIMITED') ?? false,
      isTooExpensive: (status) => status === 502 || status === 504,
    });
    const body = (answer.body ?? {}) as GraphqlBody;
    const rateLimit = body.data?.rateLimit as
      { cost?: number; remaining?: number; resetAt?: string; limit?: number } | undefined;
    if (!answer.rate && typeof rateLimit?.remaining === 'number' && rateLimit.resetAt) {
      await pool.recordQuota(answer.token, 'graphql', {
        limit: rateLimit.limit ?? null,
        remaining: rateLimit.remaining,
        resetAt: new Date(rateLimit.resetAt),
      });
    }
    const cost = typeof rateLimit?.cost === 'number' ? rateLimit.cost : 1;
    const errors = body.errors ?? [];
    if (errors.length > 0) {
      const error = graphqlError(answer.status, errors);
      const partialAllowed =
        requestOptions.allowPartial && body.data && !(error instanceof GithubQueryTooExpensiveError);
      if (!partialAllowed) throw error;
    }
    if (requestOptions.allowPartial) return { data: (body.data ?? null) as T, errors, cost };
    if (!body.data)
      throw new GithubServerError(
        'GitHub answered a GraphQL query with neither data nor errors',
        answer.status,
      );
    return { data: body.data as T, cost };
  }

  async function rest<T>(path: string, requestOptions: RestRequestOptions = {}): Promise<RestAnswer<T>> {
    const url = resolveUrl(path);
    const accept = requestOptions.accept ?? defaultAccept;
    const cacheKey = accept === defaultAccept ? url : `${url} (${accept})`;
    const cached: CachedAnswer | undefined = await cacheStep('read', () =>
      readCachedAnswer(options.database, cacheKey),
    );
    const what = `GET ${url.slice(apiUrl.length) || '/'}`;
    const answer = await sendToGithub(settings, {
      resource: new URL(url).pathname.includes('/search/') ? 'search' : 'core',
      method: 'GET',
      url,
      what,
      headers: { accept, ...(cached ? { 'if-none-match': cached.etag } : {}) },
      signal: requestOptions.signal,
    });
    if (answer.status === 304) {
      if (!cached) throw new GithubServerError(`GitHub answered 304 to an unconditional ${what}`, 304);
      await cacheStep('touch', () => touchCachedAnswer(options.database, cacheKey));
      return { data: cached.body as T, status: 304, fromCache: true, link: cached.link, cost: 0 };
    }
    const link = answer.headers.get('link');
    const etag = answer.headers.get('etag');
    if (answer.status === 200 && etag) {
      await cacheStep('store', () =>
        storeCachedAnswer(options.database, cacheKey, { etag, link, body: answer.body }),
      );
    }
    return { data: answer.body as T, status: answer.status, fromCache: false, link, cost: 1 };
  }

  async function* restPages<T>(
    path: string,
    requestOptions: RestRequestOptions = {},
  ): AsyncGenerator<RestPage<T>> {
    const first = new URL(resolveUrl(path));
    if (!first.searchParams.has('per_page')) first.searchParams.set('per_page', '100');
    let url: string | null = first.toString();
    while (url) {
      const page: RestAnswer<unknown> = await rest<unknown>(url, requestOptions);
      // Search answers wrap their list: `{ total_count, items }`.
      const items = Array.isArray(page.data)
        ? page.data
        : ((page.data as { items?: unknown[] } | null)?.items ?? []);
      yield { items: items as T[], fromCache: page.fromCache, cost: page.cost };
      url = nextLink(page.link);
    }
  }

  return {
    graphql,
    rest,
    restPages,
    tokenStates: () => pool.states(),
  };
}

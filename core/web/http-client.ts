import { ApiError, apiErrorFrom } from './api-error.js';

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface HttpClient {
  get<T>(path: string, query?: Query): Promise<T>;
  /** The answer as text (a CSV, say). */
  getText(path: string, query?: Query): Promise<string>;
  post<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  delete(path: string): Promise<void>;
}

export interface HttpClientOptions {
  /** Prefix of every path, e.g. `/api` or `/admin/api`. */
  baseUrl: string;
  /**
   * Whether GETs may use the browser's cache (the read API answers `Cache-Control: private, max-age=60`
   * with ETags and `Vary: Accept`, so going back to a dashboard is instant). Off by default: an admin page
   * shows what is true now.
   */
  cacheGets?: boolean;
  /** The bearer token to send, if any. */
  token: () => string | undefined;
  /** Called on a 401: the session has expired or was revoked. The call still fails. */
  onUnauthorised?: () => void;
}

/** The query string of `query`, empty values left out. */
export function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') parameters.set(name, String(value));
  }
  // `/` and `,` may stand unescaped in a query (RFC 3986): `repos=acme/rockets,acme/engines` reads as written.
  const text = parameters.toString().replace(/%2F/gi, '/').replace(/%2C/gi, ',');
  return text ? `${path}?${text}` : path;
}

/**
 * `fetch` with the session's bearer token, JSON in and out, and every failure as an ApiError (the
 * problem+json the API answers, or status 0 when the network failed).
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    const token = options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${options.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: method === 'GET' && options.cacheGets ? 'default' : 'no-store',
      });
    } catch {
      throw new ApiError(0, 'The server could not be reached', 'Check your connection and try again.');
    }
    if (!response.ok) {
      if (response.status === 401) options.onUnauthorised?.();
      throw await apiErrorFrom(response);
    }
    return response;
  }

  async function json<T>(response: Response): Promise<T> {
    if (response.status === 204) return undefined as T;
    const type = response.headers.get('content-type') ?? '';
    return (type.includes('json') ? await response.json() : undefined) as T;
  }

  return {
    get: async (path, query) => json(await call('GET', withQuery(path, query))),
    getText: async (path, query) => (await call('GET', withQuery(path, query))).text(),
    post: async (path, body) => json(await call('POST', path, body ?? {})),
    patch: async (path, body) => json(await call('PATCH', path, body)),
    delete: async (path) => {
      await call('DELETE', path);
    },
  };
}

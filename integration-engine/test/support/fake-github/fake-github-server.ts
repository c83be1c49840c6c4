import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGithubState, type FakeGithubStateOptions } from './fake-github-state.js';
import type { FakeFault, FakeGithubSeed, FakeRequestRecord } from './fake-github-types.js';
import { answerGraphql } from './graphql-endpoint.js';
import { rateLimitHeaders, type Answer } from './http-answer.js';
import { etagOf } from './etag.js';
import { answerRest } from './rest-routes.js';
import { documentation } from './rest-shapes.js';

export interface FakeGithubOptions extends FakeGithubStateOptions {
  seed?: FakeGithubSeed;
}

export interface FakeGithub {
  /** The API root, as GITHUB_API_URL: REST under it, GraphQL at `${url}/graphql`. `${url}/api/v3` works too. */
  url: string;
  state: FakeGithubState;
  close(): Promise<void>;
}

function bearer(header: string | undefined): string | null {
  const match = /^(?:bearer|token)\s+(\S+)$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function faultAnswer(
  state: FakeGithubState,
  fault: FakeFault,
  endpoint: 'rest' | 'graphql',
  token: string | null,
) {
  const resource = endpoint === 'graphql' ? 'graphql' : 'core';
  const quotaHeaders = rateLimitHeaders(state.quotaOf(token, resource), resource);
  if (fault.kind === 'secondary-rate-limit') {
    return {
      status: fault.status ?? 403,
      cost: 0,
      headers: {
        ...quotaHeaders,
        ...(fault.retryAfterSeconds === null ? {} : { 'retry-after': String(fault.retryAfterSeconds) }),
      },
      body: {
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.',
        documentation_url: documentation.secondaryRateLimit,
      },
    };
  }
  const status = fault.kind === 'server-error' ? (fault.status ?? 502) : 502;
  if (endpoint === 'graphql') {
    return {
      status,
      cost: 0,
      headers: quotaHeaders,
      body: {
        data: null,
        errors: [
          {
            message:
              'Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include `0000:0000:0000000:0000000:00000000` when reporting this issue.',
          },
        ],
      },
    };
  }
  if (status === 500) return { status, cost: 0, body: { message: 'Server Error' } };
  return { status, cost: 0, text: `<html><body><h1>${status} Server Error</h1></body></html>` };
}

/**
 * Starts a GitHub lookalike on 127.0.0.1 (a random port). See index.ts for seeding and scripting faults.
 */
export async function startFakeGithub(options: FakeGithubOptions = {}): Promise<FakeGithub> {
  const state = new FakeGithubState(options);
  if (options.seed) state.seed(options.seed);
  let base = '';

  function restAnswer(
    request: IncomingMessage,
    path: string,
    query: URLSearchParams,
    api: string,
    token: string | null,
  ): Answer {
    const quota = state.quotaOf(token, 'core');
    if (quota.remaining <= 0) {
      const who = token === null ? '127.0.0.1' : `user ID ${state.token(token).userId}`;
      return {
        status: state.primaryRateLimitStatus,
        cost: 0,
        headers: rateLimitHeaders(quota, 'core'),
        body: { message: `API rate limit exceeded for ${who}.`, documentation_url: documentation.rateLimit },
      };
    }
    const answer = answerRest(state, request.method ?? 'GET', { path, query, api, token });
    if (answer.status === 200) {
      const etag = etagOf(answer.body);
      if (request.headers['if-none-match'] === etag) {
        // GitHub does not count a conditional request answered 304 against the quota.
        return {
          status: 304,
          cost: 0,
          headers: { ...rateLimitHeaders(quota, 'core'), etag, ...answer.headers },
        };
      }
      answer.headers = { ...answer.headers, etag };
    }
    const cost = answer.free ? 0 : 1;
    quota.remaining -= cost;
    return {
      status: answer.status,
      body: answer.body,
      cost,
      headers: { ...rateLimitHeaders(quota, 'core'), ...answer.headers },
    };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    const url = new URL(request.url ?? '/', base);
    // GitHub Enterprise Server roots: REST under /api/v3, GraphQL at /api/graphql.
    const enterprise = url.pathname.startsWith('/api/');
    const path = enterprise ? url.pathname.replace(/^\/api(\/v3)?/, '') : url.pathname;
    const api = enterprise ? `${base}/api/v3` : base;
    const endpoint = request.method === 'POST' && path === '/graphql' ? 'graphql' : 'rest';
    const token = bearer(request.headers.authorization);
    const record: FakeRequestRecord = {
      method: request.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      endpoint,
      token,
      ifNoneMatch: (request.headers['if-none-match'] as string | undefined) ?? null,
      status: 0,
      cost: 0,
      at: state.now(),
    };
    state.requests.push(record);

    const fault = state.takeFault(endpoint, path);
    let answer: Answer;
    if (fault) record.fault = fault.kind;
    if (fault?.kind === 'connection-reset') {
      record.status = -1;
      request.socket.destroy();
      return;
    }
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (fault && fault.kind !== 'delay') {
      answer = faultAnswer(state, fault, endpoint, token);
    } else if (token !== null && state.token(token).rejected) {
      answer = {
        status: 401,
        cost: 0,
        body: { message: 'Bad credentials', documentation_url: documentation.badCredentials, status: '401' },
      };
    } else if (endpoint === 'graphql') {
      answer = answerGraphql(state, { text, token, record });
    } else {
      answer = restAnswer(request, path, url.searchParams, api, token);
    }
    record.status = answer.status;
    record.cost = answer.cost;
    if (response.destroyed) return;
    const headers: Record<string, string> = {
      'content-type': answer.text === undefined ? 'application/json; charset=utf-8' : 'text/html',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-api-version-selected': '2022-11-28',
      'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
      ...answer.headers,
    };
    response.writeHead(answer.status, headers);
    if (answer.status === 304 || request.method === 'HEAD') response.end();
    else response.end(answer.text ?? JSON.stringify(answer.body));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: `fake GitHub failed: ${(error as Error).message}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closing: Promise<void> | undefined;
  return {
    url: base,
    state,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

import type { FakeGithubState } from './fake-github-state.js';
import type { FakeRepository } from './fake-github-types.js';
import {
  accountBody,
  documentation,
  fullRepositoryBody,
  organizationBody,
  repositoryBody,
  tagBody,
} from './rest-shapes.js';

export interface RestAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Not charged against the quota (`/rate_limit`). */
  free?: boolean;
}

interface RestRequest {
  /** The path after the API root, without the query string. */
  path: string;
  query: URLSearchParams;
  /** The API root as the client addressed it (`http://127.0.0.1:PORT` or `…/api/v3`). */
  api: string;
  token: string | null;
}

const notFound: RestAnswer = {
  status: 404,
  body: { message: 'Not Found', documentation_url: documentation.notFound },
};

/** A page of a list, and GitHub's Link header (`next`, `last`, `prev`, `first`) for it. */
function paginate(request: RestRequest, items: unknown[]): RestAnswer {
  const perPage = Math.min(100, Math.max(1, Number(request.query.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(request.query.get('page') ?? 1) || 1);
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const pageUrl = (number: number) => {
    const query = new URLSearchParams(request.query);
    query.set('per_page', String(perPage));
    query.set('page', String(number));
    return `<${request.api}${request.path}?${query.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${pageUrl(page - 1)}; rel="prev"`);
  if (page < lastPage) links.push(`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(lastPage)}; rel="last"`);
  if (page > 1) links.push(`${pageUrl(1)}; rel="first"`);
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : {},
  };
}

function sortRepositories(repositories: FakeRepository[], query: URLSearchParams): FakeRepository[] {
  const sort = query.get('sort') ?? 'created';
  const direction = query.get('direction') ?? (sort === 'full_name' ? 'asc' : 'desc');
  const value = (repository: FakeRepository): string | number =>
    sort === 'full_name'
      ? repository.name.toLowerCase()
      : Date.parse(
          sort === 'pushed'
            ? repository.pushedAt
            : sort === 'updated'
              ? repository.updatedAt
              : repository.createdAt,
        );
  const sorted = [...repositories].sort((a, b) => (value(a) < value(b) ? -1 : value(a) > value(b) ? 1 : 0));
  return direction === 'desc' ? sorted.reverse() : sorted;
}

function publicRepositories(state: FakeGithubState, login: string): FakeRepository[] {
  return state.repositoriesOf(login).filter((repository) => !repository.isPrivate);
}

function blocked(repository: FakeRepository): RestAnswer {
  return {
    status: 451,
    body: {
      message: 'Repository access blocked',
      block: {
        reason: repository.blocked?.reason,
        created_at: repository.updatedAt,
        html_url: repository.blocked?.htmlUrl,
      },
    },
  };
}

function rateLimitBody(state: FakeGithubState, token: string | null): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (const resource of ['core', 'graphql'] as const) {
    // GitHub gives anonymous callers no GraphQL quota.
    const quota =
      token === null && resource === 'graphql'
        ? { limit: 0, remaining: 0, resetAt: new Date(state.now().getTime() + 3_600_000) }
        : state.quotaOf(token, resource);
    resources[resource] = {
      limit: quota.limit,
      used: quota.limit - quota.remaining,
      remaining: quota.remaining,
      reset: Math.floor(quota.resetAt.getTime() / 1_000),
    };
  }
  return { resources, rate: resources.core };
}

type Route = [RegExp, (state: FakeGithubState, request: RestRequest, match: string[]) => RestAnswer];

const routes: Route[] = [
  [
    /^\/rate_limit$/,
    (state, request) => ({ status: 200, body: rateLimitBody(state, request.token), free: true }),
  ],
  [
    /^\/users\/([^/]+)$/,
    (state, request, [login = '']) => {
      const owner = state.owner(login);
      if (!owner) return notFound;
      return { status: 200, body: accountBody(request.api, owner, publicRepositories(state, login).length) };
    },
  ],
  [
    /^\/orgs\/([^/]+)$/,
    (state, request, [login = '']) => {
      const owner = state.owner(login);
      if (owner?.type !== 'Organization') return notFound;
      return {
        status: 200,
        body: organizationBody(request.api, owner, publicRepositories(state, login).length),
      };
    },
  ],
  [
    /^\/(orgs|users)\/([^/]+)\/repos$/,
    (state, request, [kind = '', login = '']) => {
      const owner = state.owner(login);
      if (!owner || (kind === 'orgs' && owner.type !== 'Organization')) return notFound;
      const type = request.query.get('type') ?? 'all';
      const repositories = publicRepositories(state, login).filter(
        (repository) =>
          !(type === 'forks' && !repository.isFork) && !(type === 'sources' && repository.isFork),
      );
      return paginate(
        request,
        sortRepositories(repositories, request.query).map((repository) =>
          repositoryBody(request.api, repository),
        ),
      );
    },
  ],
  [
    /^\/repos\/([^/]+)\/([^/]+)$/,
    (state, request, [owner = '', name = '']) => {
      const repository = state.repository(owner, name);
      if (!repository) return notFound;
      if (repository.blocked) return blocked(repository);
      return { status: 200, body: fullRepositoryBody(request.api, repository) };
    },
  ],
  [
    /^\/repos\/([^/]+)\/([^/]+)\/languages$/,
    (state, _request, [owner = '', name = '']) => {
      const repository = state.repository(owner, name);
      if (!repository) return notFound;
      if (repository.blocked) return blocked(repository);
      const sorted = Object.entries(repository.languages).sort((a, b) => b[1] - a[1]);
      return { status: 200, body: Object.fromEntries(sorted) };
    },
  ],
  [
    /^\/repos\/([^/]+)\/([^/]+)\/tags$/,
    (state, request, [owner = '', name = '']) => {
      const repository = state.repository(owner, name);
      if (!repository) return notFound;
      if (repository.blocked) return blocked(repository);
      return paginate(
        request,
        repository.tags.map((tag) => tagBody(request.api, repository, tag)),
      );
    },
  ],
];

/** Answers one REST GET from the seeded state; 404 for anything the fake does not serve. */
export function answerRest(state: FakeGithubState, method: string, request: RestRequest): RestAnswer {
  if (method !== 'GET' && method !== 'HEAD') return notFound;
  for (const [pattern, handle] of routes) {
    const match = pattern.exec(request.path);
    if (match) return handle(state, request, match.slice(1).map(decodeURIComponent));
  }
  return notFound;
}

/**
 * A fake GitHub for tests: a real HTTP server on 127.0.0.1 speaking GitHub's REST and GraphQL formats.
 *
 * Start, seed, point the client at it:
 *
 *   const github = await startFakeGithub({
 *     seed: {
 *       owners: [{ login: 'acme', type: 'Organization' }],
 *       repositories: [{
 *         owner: 'acme', name: 'widget', stars: 12, languages: { TypeScript: 9_000, Shell: 100 },
 *         license: 'MIT', topics: ['cli'], cloneUrl: 'file:///tmp/widget.git',
 *         pullRequests: [{ number: 1, author: 'alice', createdAt: '2024-01-02T00:00:00Z',
 *           mergedAt: '2024-01-03T00:00:00Z', reviews: [{ author: 'bob', state: 'APPROVED', submittedAt: '…' }] }],
 *         issues: [{ number: 2, author: 'renovate[bot]', createdAt: '…', closedAt: '…', stateReason: 'NOT_PLANNED' }],
 *         releases: [{ tagName: 'v1.0.0', publishedAt: '…' }],
 *       }],
 *       tokens: [{ token: 'ghp_one', graphql: { remaining: 0, resetAt: new Date(Date.now() + 60_000) } }],
 *     },
 *   });
 *   // GITHUB_API_URL = github.url (GraphQL at `${github.url}/graphql`; `${github.url}/api/v3` works as GHES)
 *   … later: github.state.addPullRequest('acme', 'widget', {...}); github.state.repository('acme', 'widget')!.stars = 13;
 *   await github.close();
 *
 * Seed types are in fake-github-types.ts: every field but the identifying ones has a default; actors are a
 * login (`name[bot]` is a Bot) or `{ login, type, company }` (a User's profile company, GraphQL
 * `User.company`; `state.setUserCompany(login, company)` changes it later). Unseeded tokens are accepted with 5,000 points per
 * resource; `state.setQuota(token, 'core' | 'graphql', { remaining, resetAt })` and `state.rejectToken(token)`
 * (401 Bad credentials) script the pool. Owners and repositories not seeded answer 404 / NOT_FOUND;
 * `blocked: { reason: 'dmca' }` on a repository answers 451 (GraphQL: FORBIDDEN "Repository access blocked").
 *
 * Faults: `state.failNext(times, fault, { endpoint?: 'rest' | 'graphql', path?: prefix | RegExp })` with
 * `{ kind: 'server-error', status: 502 }`, `{ kind: 'secondary-rate-limit', retryAfterSeconds: 1 }`,
 * `{ kind: 'connection-reset' }` or `{ kind: 'delay', ms }`; `state.resourceLimitAboveFirst = 50` answers
 * RESOURCE_LIMITS_EXCEEDED to any GraphQL query paging more than 50 nodes at once.
 *
 * Assertions: `state.requests` (method, path, endpoint, token, ifNoneMatch, status, query, variables, cost),
 * `state.requestsTo('graphql', token)`, `state.invalidQueries` (documents GitHub would refuse: schema
 * validation against `@octokit/graphql-schema`, missing or over-100 `first`) — assert it stays empty — and
 * `state.unimplementedFields` (schema fields the fake does not serve yet: add them to graphql-views.ts).
 *
 * REST: GET /rate_limit, /users/{login}, /orgs/{org}, /orgs/{org}/repos, /users/{user}/repos,
 * /repos/{o}/{r}, /repos/{o}/{r}/languages, /repos/{o}/{r}/tags; `per_page`/`page` with Link headers; an ETag
 * on every 200 and 304 (not charged) for a matching If-None-Match; x-ratelimit-* headers on every answer.
 * GraphQL: repository, repositoryOwner, organization, user, node(s), viewer, rateLimit; repositories,
 * pullRequests, issues (filterBy.since, states), releases, languages, repositoryTopics, reviews, comments
 * connections with orderBy, cursors and totalCount (graphql-views.ts lists every field served).
 */
export { startFakeGithub } from './fake-github-server.js';
export type { FakeGithub, FakeGithubOptions } from './fake-github-server.js';
export { FakeGithubState } from './fake-github-state.js';
export type { FakeGithubStateOptions } from './fake-github-state.js';
export { loadGithubSchema } from './graphql-endpoint.js';
export type * from './fake-github-types.js';

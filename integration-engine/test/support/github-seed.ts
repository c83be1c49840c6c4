import type { FakeCommentSeed, FakeRepositorySeed } from './fake-github/index.js';

/**
 * Test data for the GitHub crawler: one repository whose pull requests, issues and releases cover what
 * the crawl must tell apart, and organisations of many repositories. Each item's comment says what the
 * crawl should make of it.
 */

export const maintainer = 'erin';

/** A repository with metadata, pull requests, issues and releases (all times in 2024, before any crawl). */
export function widgetRepository(owner = 'acme', name = 'widget'): FakeRepositorySeed {
  return {
    owner,
    name,
    description: 'Widgets for everyone',
    homepageUrl: 'https://widget.example',
    stars: 42,
    forks: 7,
    watchers: 5,
    languages: { TypeScript: 9_000, Shell: 100 },
    topics: ['cli', 'health'],
    license: 'MIT',
    defaultBranch: 'main',
    createdAt: '2019-01-01T00:00:00Z',
    pushedAt: '2024-05-01T00:00:00Z',
    pullRequests: [
      // Merged after an approval by bob; the author's and a bot's comments before it are no response.
      {
        number: 1,
        author: 'alice',
        createdAt: '2024-03-01T10:00:00Z',
        comments: [
          { author: 'alice', createdAt: '2024-03-01T10:30:00Z' },
          { author: 'dependabot[bot]', createdAt: '2024-03-01T11:00:00Z' },
        ],
        reviews: [{ author: 'bob', state: 'APPROVED', submittedAt: '2024-03-01T12:00:00Z' }],
        mergedAt: '2024-03-02T09:00:00Z',
        mergedBy: 'bob',
      },
      // An open draft nobody answered.
      { number: 2, author: 'carol', createdAt: '2024-03-05T10:00:00Z', isDraft: true },
      // Closed without a merge by a maintainer: the close is the first response.
      {
        number: 3,
        author: 'dave',
        createdAt: '2024-03-06T10:00:00Z',
        closedAt: '2024-03-07T10:00:00Z',
        closedBy: maintainer,
        reviews: [{ author: 'dave', state: 'COMMENTED', submittedAt: '2024-03-06T11:00:00Z' }],
      },
      // By a bot, approved and merged by a maintainer.
      {
        number: 4,
        author: 'renovate[bot]',
        createdAt: '2024-03-08T10:00:00Z',
        reviews: [{ author: maintainer, state: 'APPROVED', submittedAt: '2024-03-08T12:00:00Z' }],
        mergedAt: '2024-03-09T10:00:00Z',
        mergedBy: maintainer,
      },
      // Twenty-five comments by its author and bots before the first human answer, past the first page.
      {
        number: 5,
        author: 'frank',
        createdAt: '2024-03-10T00:00:00Z',
        comments: [
          ...repeatedComments(25, '2024-03-10T01:00:00Z', ['frank', 'github-actions[bot]']),
          { author: 'grace', createdAt: '2024-03-12T00:00:00Z' },
        ],
      },
    ],
    issues: [
      // Reopened and closed again: GitHub's closedAt is the last close.
      {
        number: 10,
        author: 'frank',
        createdAt: '2024-04-01T00:00:00Z',
        closedAt: '2024-04-10T00:00:00Z',
        closedBy: 'frank',
        comments: [{ author: maintainer, createdAt: '2024-04-02T00:00:00Z' }],
      },
      // Opened by a bot.
      { number: 11, author: 'github-actions[bot]', createdAt: '2024-04-05T00:00:00Z' },
      // A bot and the author comment first; the maintainer's comment is the response.
      {
        number: 12,
        author: 'grace',
        authorAssociation: 'CONTRIBUTOR',
        createdAt: '2024-04-06T08:00:00Z',
        comments: [
          { author: 'dependabot[bot]', createdAt: '2024-04-06T09:00:00Z' },
          { author: 'grace', createdAt: '2024-04-06T10:00:00Z' },
          { author: maintainer, createdAt: '2024-04-06T11:00:00Z' },
        ],
      },
      // Closed by its author, never answered: no response.
      {
        number: 13,
        author: 'heidi',
        createdAt: '2024-04-07T00:00:00Z',
        closedAt: '2024-04-08T00:00:00Z',
        stateReason: 'NOT_PLANNED',
      },
    ],
    releases: [
      { tagName: 'v1.0.0', name: 'First', publishedAt: '2024-02-01T00:00:00Z' },
      { tagName: 'v1.1.0', publishedAt: '2024-05-01T00:00:00Z' },
      { tagName: 'v2.0.0', isDraft: true, createdAt: '2024-05-10T00:00:00Z' },
    ],
  };
}

/** `count` comments an hour apart, by the given authors in turn. */
export function repeatedComments(count: number, from: string, authors: string[]): FakeCommentSeed[] {
  return Array.from({ length: count }, (_, index) => ({
    author: authors[index % authors.length]!,
    createdAt: new Date(Date.parse(from) + index * 3_600_000).toISOString(),
  }));
}

/** `count` repositories of one owner, created a day apart; every `forkEvery`-th is a fork. */
export function manyRepositories(owner: string, count: number, forkEvery = 10): FakeRepositorySeed[] {
  return Array.from({ length: count }, (_, index) => ({
    owner,
    name: `project-${String(index).padStart(3, '0')}`,
    stars: index,
    isFork: index % forkEvery === forkEvery - 1,
    languages: { Go: 1_000 + index },
    createdAt: new Date(Date.parse('2020-01-01T00:00:00Z') + index * 86_400_000).toISOString(),
  }));
}

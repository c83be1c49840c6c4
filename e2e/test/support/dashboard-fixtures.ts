import type { FakeRepositorySeed } from '../../../integration-engine/test/support/fake-github/index.js';
import {
  createGitRepository,
  type Identity,
  type TestGitRepository,
} from '../../../integration-engine/test/support/git-repositories.js';

/**
 * The data behind the dashboards' browser test: two organisations on a fake GitHub, each repository with
 * a real git history, pull requests, issues and releases, all dated relative to now (so the 30/90/365-day
 * metrics have something to count), plus star and fork events a supplier sends in the generic format.
 */

const day = 86_400_000;
/** An instant `days` days (and `hours` hours) before now, as RFC 3339. */
export const daysAgo = (days: number, hours = 0) =>
  new Date(Date.now() - days * day - hours * 3_600_000).toISOString();

const people: Record<string, Identity> = {
  ada: { name: 'Ada Lovelace', email: 'ada@example.org' },
  grace: { name: 'Grace Hopper', email: 'grace@example.org' },
  linus: { name: 'Linus Torvalds', email: 'linus@example.org' },
  zoe: { name: 'Zoe Q', email: 'zoe@example.org' },
};

interface RepositoryPlan {
  owner: string;
  name: string;
  /** Commit ages in days, and who authored each, in turn. */
  commitDaysAgo: number[];
  authors: string[];
  seed: Omit<FakeRepositorySeed, 'owner' | 'name' | 'cloneUrl'>;
}

const respondedPullRequest = (number: number, openedDaysAgo: number, author: string, reviewer: string) => ({
  number,
  author,
  createdAt: daysAgo(openedDaysAgo),
  reviews: [{ author: reviewer, state: 'APPROVED' as const, submittedAt: daysAgo(openedDaysAgo, -6) }],
  mergedAt: daysAgo(openedDaysAgo, -30),
  mergedBy: reviewer,
});

const answeredIssue = (number: number, openedDaysAgo: number, author: string, responder: string) => ({
  number,
  author,
  createdAt: daysAgo(openedDaysAgo),
  comments: [{ author: responder, createdAt: daysAgo(openedDaysAgo, -3) }],
  closedAt: daysAgo(openedDaysAgo, -48),
  closedBy: responder,
});

export const dashboardPlans: RepositoryPlan[] = [
  {
    owner: 'acme',
    name: 'rockets',
    commitDaysAgo: Array.from({ length: 30 }, (_, index) => 2 + index * 3),
    authors: ['ada', 'grace', 'linus'],
    seed: {
      description: 'Rockets for everyone',
      stars: 120,
      forks: 14,
      languages: { TypeScript: 60_000, Shell: 2_000 },
      license: 'MIT',
      createdAt: '2022-01-01T00:00:00Z',
      pushedAt: daysAgo(2),
      pullRequests: [
        respondedPullRequest(1, 40, 'ada', 'grace'),
        respondedPullRequest(2, 25, 'linus', 'ada'),
        respondedPullRequest(3, 12, 'grace', 'linus'),
        { number: 4, author: 'zoe', createdAt: daysAgo(5) },
      ],
      issues: [answeredIssue(10, 30, 'zoe', 'ada'), answeredIssue(11, 14, 'linus', 'grace')],
      releases: [
        { tagName: 'v1.0.0', publishedAt: daysAgo(60) },
        { tagName: 'v1.1.0', publishedAt: daysAgo(20) },
      ],
    },
  },
  {
    owner: 'acme',
    name: 'engines',
    commitDaysAgo: Array.from({ length: 10 }, (_, index) => 5 + index * 8),
    authors: ['ada', 'zoe'],
    seed: {
      description: 'Engines, in Go',
      stars: 40,
      forks: 3,
      languages: { Go: 30_000 },
      createdAt: '2023-01-01T00:00:00Z',
      pullRequests: [respondedPullRequest(1, 35, 'zoe', 'ada')],
      releases: [{ tagName: 'v0.3.0', publishedAt: daysAgo(50) }],
    },
  },
  {
    owner: 'acme',
    name: 'fuel',
    commitDaysAgo: [200, 210, 220],
    authors: ['linus'],
    seed: {
      description: 'Fuel tables (archived)',
      stars: 5,
      forks: 1,
      languages: { Python: 4_000 },
      archived: true,
      createdAt: '2021-01-01T00:00:00Z',
    },
  },
  {
    owner: 'globex',
    name: 'radar',
    commitDaysAgo: Array.from({ length: 8 }, (_, index) => 1 + index * 4),
    authors: ['zoe'],
    seed: {
      description: 'Radar signal processing',
      stars: 75,
      forks: 6,
      languages: { Rust: 20_000 },
      createdAt: '2023-06-01T00:00:00Z',
      issues: [answeredIssue(1, 10, 'ada', 'zoe')],
    },
  },
];

/** The git histories of the plans, and the fake GitHub's seed pointing at them. */
export async function createDashboardRepositories(): Promise<{
  repositories: FakeRepositorySeed[];
  gitRepositories: TestGitRepository[];
}> {
  const gitRepositories: TestGitRepository[] = [];
  const repositories: FakeRepositorySeed[] = [];
  for (const plan of dashboardPlans) {
    const git = await createGitRepository();
    gitRepositories.push(git);
    // Oldest first, so the history reads forward.
    const ages = [...plan.commitDaysAgo].sort((a, b) => b - a);
    for (const [index, age] of ages.entries()) {
      await git.commit({
        author: people[plan.authors[index % plan.authors.length]!]!,
        date: daysAgo(age),
        message: `${plan.name} change ${index + 1}`,
        files: { [`file-${index % 5}.txt`]: `change ${index + 1}\n` },
      });
    }
    repositories.push({ owner: plan.owner, name: plan.name, ...plan.seed, cloneUrl: git.path });
  }
  return { repositories, gitRepositories };
}

/** Stars and forks of acme/rockets over the last weeks, as a supplier's generic batch. */
export function starAndForkBatch() {
  const repository = { host: 'github.com', owner: 'acme', name: 'rockets' };
  const stars = [3, 9, 10, 16, 24, 30].map((age, index) => ({
    id: `star-${index + 1}`,
    type: 'star',
    action: 'created',
    repository,
    occurredAt: daysAgo(age),
    actor: { login: `fan${index + 1}` },
    data: {},
  }));
  const forks = [8, 22].map((age, index) => ({
    id: `fork-${index + 1}`,
    type: 'fork',
    action: 'created',
    repository,
    occurredAt: daysAgo(age),
    data: { fork: { owner: `forker${index + 1}`, name: 'rockets' } },
  }));
  return { source: 'dashboard-test', events: [...stars, ...forks] };
}

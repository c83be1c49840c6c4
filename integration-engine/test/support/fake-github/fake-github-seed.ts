import { createHash } from 'node:crypto';
import type {
  FakeActor,
  FakeActorSeed,
  FakeComment,
  FakeCommentSeed,
  FakeIssue,
  FakeIssueSeed,
  FakeLicense,
  FakeOwner,
  FakeOwnerSeed,
  FakePullRequest,
  FakePullRequestSeed,
  FakeRelease,
  FakeReleaseSeed,
  FakeRepository,
  FakeRepositorySeed,
  FakeReview,
  FakeReviewSeed,
} from './fake-github-types.js';

/** Hands out database ids; node ids are derived from them, opaque like GitHub's (`R_kgDO…`). */
export class IdSequence {
  private next = 1_000;
  take(): number {
    return this.next++;
  }
}

export function nodeId(prefix: string, databaseId: number): string {
  return `${prefix}_${Buffer.from(`fake:${prefix}:${databaseId}`).toString('base64url')}`;
}

const knownLicenses: Record<string, FakeLicense> = {
  MIT: { spdxId: 'MIT', key: 'mit', name: 'MIT License' },
  'Apache-2.0': { spdxId: 'Apache-2.0', key: 'apache-2.0', name: 'Apache License 2.0' },
  'GPL-3.0': { spdxId: 'GPL-3.0', key: 'gpl-3.0', name: 'GNU General Public License v3.0' },
  'BSD-3-Clause': {
    spdxId: 'BSD-3-Clause',
    key: 'bsd-3-clause',
    name: 'BSD 3-Clause "New" or "Revised" License',
  },
  'MPL-2.0': { spdxId: 'MPL-2.0', key: 'mpl-2.0', name: 'Mozilla Public License 2.0' },
  NOASSERTION: { spdxId: 'NOASSERTION', key: 'other', name: 'Other' },
};

function license(seed: FakeRepositorySeed['license']): FakeLicense | null {
  if (seed === undefined || seed === null) return null;
  if (typeof seed !== 'string') return seed;
  return knownLicenses[seed] ?? { spdxId: seed, key: seed.toLowerCase(), name: seed };
}

const defaultTime = '2020-01-01T00:00:00Z';

function latest(...times: (string | null | undefined)[]): string {
  const present = times.filter((time): time is string => typeof time === 'string');
  return present.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b), present[0] ?? defaultTime);
}

export class SeedNormaliser {
  private readonly actors = new Map<string, FakeActor>();

  constructor(private readonly ids: IdSequence) {}

  actor(seed: FakeActorSeed | null | undefined): FakeActor | null {
    if (seed === null || seed === undefined) return null;
    const given = typeof seed === 'string' ? { login: seed } : seed;
    const isBotLogin = given.login.endsWith('[bot]');
    const login = isBotLogin ? given.login.slice(0, -'[bot]'.length) : given.login;
    const type = given.type ?? (isBotLogin ? 'Bot' : 'User');
    const key = `${type}:${login.toLowerCase()}`;
    const known = this.actors.get(key);
    if (known) return known;
    const databaseId = given.databaseId ?? this.ids.take();
    const prefix = { User: 'U', Bot: 'BOT', Organization: 'O', Mannequin: 'MQ' }[type];
    const company = type === 'User' && typeof seed !== 'string' ? (seed.company ?? null) : null;
    const actor: FakeActor = { login, type, databaseId, nodeId: nodeId(prefix, databaseId), company };
    this.actors.set(key, actor);
    return actor;
  }

  /** The User seen under `login` so far, to change their profile between two requests. */
  user(login: string): FakeActor | undefined {
    return this.actors.get(`User:${login.toLowerCase()}`);
  }

  owner(seed: FakeOwnerSeed): FakeOwner {
    const type = seed.type ?? 'Organization';
    const databaseId = seed.databaseId ?? this.ids.take();
    return {
      login: seed.login,
      type,
      databaseId,
      nodeId: nodeId(type === 'User' ? 'U' : 'O', databaseId),
      name: seed.name ?? null,
      createdAt: seed.createdAt ?? defaultTime,
    };
  }

  repository(seed: FakeRepositorySeed, owner: FakeOwner): FakeRepository {
    const databaseId = seed.databaseId ?? this.ids.take();
    const languages = seed.languages ?? {};
    const largest = Object.entries(languages).sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
    const url = seed.url ?? `https://github.com/${owner.login}/${seed.name}`;
    const createdAt = seed.createdAt ?? defaultTime;
    const pushedAt = seed.pushedAt ?? createdAt;
    return {
      owner,
      name: seed.name,
      databaseId,
      nodeId: nodeId('R', databaseId),
      description: seed.description ?? null,
      homepageUrl: seed.homepageUrl ?? null,
      stars: seed.stars ?? 0,
      forks: seed.forks ?? 0,
      watchers: seed.watchers ?? 0,
      languages,
      primaryLanguage: seed.primaryLanguage === undefined ? largest : seed.primaryLanguage,
      topics: seed.topics ?? [],
      license: license(seed.license),
      defaultBranch: seed.defaultBranch ?? 'main',
      headOid: seed.headOid ?? createHash('sha1').update(`${owner.login}/${seed.name}`).digest('hex'),
      archived: seed.archived ?? false,
      isFork: seed.isFork ?? false,
      isPrivate: seed.isPrivate ?? false,
      hasIssues: seed.hasIssues ?? true,
      createdAt,
      pushedAt,
      updatedAt: seed.updatedAt ?? pushedAt,
      url,
      cloneUrl: seed.cloneUrl ?? `${url}.git`,
      tags: seed.tags ?? [],
      pullRequests: (seed.pullRequests ?? []).map((pull) => this.pullRequest(pull)),
      issues: (seed.issues ?? []).map((issue) => this.issue(issue)),
      releases: (seed.releases ?? []).map((release) => this.release(release)),
      blocked: seed.blocked
        ? {
            reason: seed.blocked.reason,
            htmlUrl:
              seed.blocked.htmlUrl ?? 'https://github.com/github/dmca/blob/master/2020/10/2020-10-23-RIAA.md',
          }
        : null,
    };
  }

  pullRequest(seed: FakePullRequestSeed): FakePullRequest {
    const databaseId = seed.databaseId ?? this.ids.take();
    const mergedAt = seed.mergedAt ?? null;
    const closedAt = seed.closedAt === undefined ? mergedAt : seed.closedAt;
    const reviews = (seed.reviews ?? []).map((review) => this.review(review));
    const comments = (seed.comments ?? []).map((comment) => this.comment(comment));
    return {
      number: seed.number,
      databaseId,
      nodeId: nodeId('PR', databaseId),
      title: seed.title ?? `Pull request ${seed.number}`,
      author: seed.author === undefined ? this.actor('octocat') : this.actor(seed.author),
      authorAssociation: seed.authorAssociation ?? 'CONTRIBUTOR',
      createdAt: seed.createdAt,
      updatedAt:
        seed.updatedAt ??
        latest(
          seed.createdAt,
          mergedAt,
          closedAt,
          ...reviews.map((review) => review.submittedAt),
          ...comments.map((comment) => comment.createdAt),
        ),
      mergedAt,
      closedAt,
      mergedBy: mergedAt ? this.actor(seed.mergedBy === undefined ? 'octocat' : seed.mergedBy) : null,
      closedBy: closedAt ? this.closer(seed) : null,
      isDraft: seed.isDraft ?? false,
      reviews,
      comments,
    };
  }

  issue(seed: FakeIssueSeed): FakeIssue {
    const databaseId = seed.databaseId ?? this.ids.take();
    const closedAt = seed.closedAt ?? null;
    const comments = (seed.comments ?? []).map((comment) => this.comment(comment));
    return {
      number: seed.number,
      databaseId,
      nodeId: nodeId('I', databaseId),
      title: seed.title ?? `Issue ${seed.number}`,
      author: seed.author === undefined ? this.actor('octocat') : this.actor(seed.author),
      authorAssociation: seed.authorAssociation ?? 'NONE',
      createdAt: seed.createdAt,
      updatedAt:
        seed.updatedAt ?? latest(seed.createdAt, closedAt, ...comments.map((comment) => comment.createdAt)),
      closedAt,
      stateReason: seed.stateReason === undefined ? (closedAt ? 'COMPLETED' : null) : seed.stateReason,
      closedBy: closedAt ? this.closer(seed) : null,
      comments,
    };
  }

  release(seed: FakeReleaseSeed): FakeRelease {
    const databaseId = seed.databaseId ?? this.ids.take();
    const isDraft = seed.isDraft ?? false;
    const createdAt = seed.createdAt ?? seed.publishedAt ?? defaultTime;
    return {
      tagName: seed.tagName,
      name: seed.name === undefined ? seed.tagName : seed.name,
      databaseId,
      nodeId: nodeId('RE', databaseId),
      createdAt,
      publishedAt: seed.publishedAt === undefined ? (isDraft ? null : createdAt) : seed.publishedAt,
      isDraft,
      isPrerelease: seed.isPrerelease ?? false,
      author: seed.author === undefined ? this.actor('octocat') : this.actor(seed.author),
    };
  }

  private closer(seed: FakePullRequestSeed | FakeIssueSeed): FakeActor | null {
    if (seed.closedBy !== undefined) return this.actor(seed.closedBy);
    return seed.author === undefined ? this.actor('octocat') : this.actor(seed.author);
  }

  private review(seed: FakeReviewSeed): FakeReview {
    const databaseId = this.ids.take();
    return {
      author: seed.author === undefined ? this.actor('octocat') : this.actor(seed.author),
      state: seed.state ?? 'COMMENTED',
      submittedAt: seed.submittedAt,
      body: seed.body ?? '',
      databaseId,
      nodeId: nodeId('PRR', databaseId),
    };
  }

  private comment(seed: FakeCommentSeed): FakeComment {
    const databaseId = this.ids.take();
    return {
      author: seed.author === undefined ? this.actor('octocat') : this.actor(seed.author),
      createdAt: seed.createdAt,
      body: seed.body ?? '',
      databaseId,
      nodeId: nodeId('IC', databaseId),
    };
  }
}

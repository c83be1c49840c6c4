import { IdSequence, SeedNormaliser } from './fake-github-seed.js';
import type {
  FakeFault,
  FakeFaultRule,
  FakeGithubSeed,
  FakeInvalidQuery,
  FakeIssue,
  FakeIssueSeed,
  FakeOwner,
  FakeOwnerSeed,
  FakePullRequest,
  FakePullRequestSeed,
  FakeQuota,
  FakeQuotaSeed,
  FakeRateLimitResource,
  FakeRelease,
  FakeReleaseSeed,
  FakeRepository,
  FakeRepositorySeed,
  FakeRequestRecord,
  FakeToken,
  FakeTokenSeed,
} from './fake-github-types.js';

export interface FakeGithubStateOptions {
  /** The fake's clock, for quota resets and `rateLimit.resetAt`. */
  now?: () => Date;
  /** Quotas of a token seen but never seeded (GitHub's for a personal token). */
  defaultQuotas?: Partial<Record<FakeRateLimitResource, { limit: number }>>;
  /** Quota of anonymous REST requests (per client address on GitHub). */
  anonymousCoreLimit?: number;
}

const key = (login: string) => login.toLowerCase();

/**
 * Everything the fake GitHub server knows and serves: seed it, script faults, read what was asked.
 * Changes take effect on the next request.
 */
export class FakeGithubState {
  readonly owners = new Map<string, FakeOwner>();
  readonly repositories = new Map<string, FakeRepository>();
  readonly tokens = new Map<string, FakeToken>();
  /** Every request, in arrival order. */
  readonly requests: FakeRequestRecord[] = [];
  /** GraphQL documents GitHub would have refused (schema validation, pagination limits). */
  readonly invalidQueries: FakeInvalidQuery[] = [];
  readonly faults: FakeFaultRule[] = [];
  /** Schema fields a query asked for that the fake's views do not serve yet (`Repository.foo`). */
  readonly unimplementedFields = new Set<string>();
  /** RESOURCE_LIMITS_EXCEEDED for any GraphQL query asking a connection for more than this many nodes. */
  resourceLimitAboveFirst: number | null = null;
  /** How GitHub answers a spent primary limit: 403 (the usual) or 429. */
  primaryRateLimitStatus: 403 | 429 = 403;
  /** How GitHub answers a GraphQL query over the remaining quota: 200 with a RATE_LIMITED error, or 403. */
  graphqlRateLimitStatus: 200 | 403 = 200;
  readonly anonymousQuota: FakeQuota;
  readonly now: () => Date;

  private readonly ids = new IdSequence();
  private readonly normaliser = new SeedNormaliser(this.ids);
  private readonly defaultLimits: Record<FakeRateLimitResource, number>;

  constructor(options: FakeGithubStateOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.defaultLimits = {
      core: options.defaultQuotas?.core?.limit ?? 5_000,
      graphql: options.defaultQuotas?.graphql?.limit ?? 5_000,
    };
    this.anonymousQuota = this.quota({ limit: options.anonymousCoreLimit ?? 60 }, 60);
  }

  seed(seed: FakeGithubSeed): this {
    for (const owner of seed.owners ?? []) this.addOwner(owner);
    for (const repository of seed.repositories ?? []) this.addRepository(repository);
    for (const token of seed.tokens ?? []) this.addToken(token);
    return this;
  }

  addOwner(seed: FakeOwnerSeed): FakeOwner {
    const owner = this.normaliser.owner(seed);
    this.owners.set(key(owner.login), owner);
    return owner;
  }

  owner(login: string): FakeOwner | undefined {
    return this.owners.get(key(login));
  }

  addRepository(seed: FakeRepositorySeed): FakeRepository {
    const owner = this.owner(seed.owner) ?? this.addOwner({ login: seed.owner });
    const repository = this.normaliser.repository(seed, owner);
    this.repositories.set(key(`${owner.login}/${repository.name}`), repository);
    return repository;
  }

  repository(owner: string, name: string): FakeRepository | undefined {
    return this.repositories.get(key(`${owner}/${name}`));
  }

  /** The repositories of an owner, in creation order. */
  repositoriesOf(login: string): FakeRepository[] {
    return [...this.repositories.values()].filter((repository) => key(repository.owner.login) === key(login));
  }

  /** Changes a User's profile company (every item they authored shows it on the next request). */
  setUserCompany(login: string, company: string | null): void {
    const user = this.normaliser.user(login);
    if (!user) throw new Error(`the fake GitHub has no user ${login}`);
    user.company = company;
  }

  addPullRequest(owner: string, name: string, seed: FakePullRequestSeed): FakePullRequest {
    const pull = this.normaliser.pullRequest(seed);
    this.requireRepository(owner, name).pullRequests.push(pull);
    return pull;
  }

  addIssue(owner: string, name: string, seed: FakeIssueSeed): FakeIssue {
    const issue = this.normaliser.issue(seed);
    this.requireRepository(owner, name).issues.push(issue);
    return issue;
  }

  addRelease(owner: string, name: string, seed: FakeReleaseSeed): FakeRelease {
    const release = this.normaliser.release(seed);
    this.requireRepository(owner, name).releases.push(release);
    return release;
  }

  addToken(seed: FakeTokenSeed): FakeToken {
    const userId = this.ids.take();
    const token: FakeToken = {
      token: seed.token,
      quotas: {
        core: this.quota(seed.core, this.defaultLimits.core),
        graphql: this.quota(seed.graphql, this.defaultLimits.graphql),
      },
      rejected: seed.rejected ?? false,
      login: seed.login ?? `token-user-${userId}`,
      userId,
    };
    this.tokens.set(seed.token, token);
    return token;
  }

  /** The token's state; a token never seeded is accepted with the default quotas, as a fresh PAT. */
  token(token: string): FakeToken {
    return this.tokens.get(token) ?? this.addToken({ token });
  }

  /** The token's quota for a resource, after any reset that has come due. */
  quotaOf(token: string | null, resource: FakeRateLimitResource): FakeQuota {
    const quota = token === null ? this.anonymousQuota : this.token(token).quotas[resource];
    if (quota.resetAt.getTime() <= this.now().getTime()) {
      quota.remaining = quota.limit;
      quota.resetAt = wholeSecond(new Date(this.now().getTime() + 3_600_000));
    }
    return quota;
  }

  /** Sets a token's remaining quota (and optionally its reset) for a resource. */
  setQuota(token: string, resource: FakeRateLimitResource, quota: FakeQuotaSeed): FakeQuota {
    const current = this.token(token).quotas[resource];
    Object.assign(current, {
      ...(quota.limit === undefined ? {} : { limit: quota.limit }),
      ...(quota.remaining === undefined ? {} : { remaining: quota.remaining }),
      ...(quota.resetAt === undefined ? {} : { resetAt: wholeSecond(quota.resetAt) }),
    });
    return current;
  }

  rejectToken(token: string): void {
    this.token(token).rejected = true;
  }

  /** The next `times` requests matching (endpoint, path) get `fault`. */
  failNext(times: number, fault: FakeFault, match: Omit<FakeFaultRule, 'fault' | 'times'> = {}): void {
    this.faults.push({ fault, times, ...match });
  }

  /** Takes the first fault rule matching a request, if any (and counts it down). */
  takeFault(endpoint: 'rest' | 'graphql', path: string): FakeFault | undefined {
    const rule = this.faults.find(
      (candidate) =>
        candidate.times > 0 &&
        (candidate.endpoint === undefined || candidate.endpoint === endpoint) &&
        (candidate.path === undefined ||
          (typeof candidate.path === 'string' ? path.startsWith(candidate.path) : candidate.path.test(path))),
    );
    if (!rule) return undefined;
    rule.times--;
    if (rule.times === 0) this.faults.splice(this.faults.indexOf(rule), 1);
    return rule.fault;
  }

  /** Requests to one endpoint, optionally only those by one token. */
  requestsTo(endpoint: 'rest' | 'graphql', token?: string | null): FakeRequestRecord[] {
    return this.requests.filter(
      (request) => request.endpoint === endpoint && (token === undefined || request.token === token),
    );
  }

  clearLog(): void {
    this.requests.length = 0;
    this.invalidQueries.length = 0;
    this.unimplementedFields.clear();
  }

  nextId(): number {
    return this.ids.take();
  }

  private requireRepository(owner: string, name: string): FakeRepository {
    const repository = this.repository(owner, name);
    if (!repository) throw new Error(`fake GitHub: seed ${owner}/${name} before its content`);
    return repository;
  }

  private quota(seed: FakeQuotaSeed | undefined, defaultLimit: number): FakeQuota {
    const limit = seed?.limit ?? defaultLimit;
    return {
      limit,
      remaining: seed?.remaining ?? limit,
      resetAt: wholeSecond(seed?.resetAt ?? new Date(this.now().getTime() + 3_600_000)),
    };
  }
}

/** GitHub resets a quota at a whole second, the one `x-ratelimit-reset` names: a later reset, never earlier. */
function wholeSecond(time: Date): Date {
  return new Date(Math.ceil(time.getTime() / 1_000) * 1_000);
}

/**
 * The output gateway's answers as the dashboards read them (`/api/v1/...` at the permission proxy). The
 * OpenAPI document it serves at `/v1/openapi.json` is the full contract; these are the parts used here.
 */

export type Interval = 'day' | 'week' | 'month';

export interface RepositoryIdentity {
  host: string;
  owner: string;
  name: string;
}

export interface ActivityBucket {
  start: string;
  commits: number;
  pullRequestsOpened: number;
  pullRequestsMerged: number;
  issuesOpened: number;
  issuesClosed: number;
  releases: number;
  stars: number;
  forks: number;
}

export interface ActivitySeries {
  interval: Interval;
  from: string;
  to: string;
  series: ActivityBucket[];
}

export interface LanguageShare {
  language: string;
  repositories: number;
  bytes: number;
  share: number | null;
}

export interface OrganizationPortfolio {
  host: string;
  owner: string;
  repositories: { total: number; archived: number; forks: number; active: number };
  stars: number;
  forks: number;
  languages: LanguageShare[];
  topRepositories: Array<{
    owner: string;
    name: string;
    stars: number | null;
    forks: number | null;
    primaryLanguage: string | null;
    archived: boolean | null;
    healthScore: number | null;
  }>;
  activity: ActivitySeries;
  health: { median: number | null; distribution: Array<{ bucket: string; repositories: number }> };
}

export type MetricValues = Record<string, number | null>;

export interface HealthComponent {
  name: string;
  weight: number;
  score: number | null;
  inputs: Array<{ metric: string; value: number | null; score: number | null }>;
  reason: string;
}

export interface RepositoryDetail {
  repository: RepositoryIdentity & {
    description: string | null;
    homepage: string | null;
    language: string | null;
    languages: Record<string, number> | null;
    topics: string[];
    license: string | null;
    archived: boolean | null;
    fork: boolean | null;
    stars: number | null;
    forks: number | null;
    watchers: number | null;
    openIssues: number | null;
    createdAt: string | null;
    pushedAt: string | null;
  };
  computedAt: string | null;
  metrics: MetricValues;
  metricDetails: Record<string, { value: number | null; reason?: string; version?: number }>;
  health: {
    score: number | null;
    components: HealthComponent[];
    renormalised: boolean;
    note?: string;
  } | null;
  note?: string;
}

export type MetricSeriesBucket = { start: string } & Record<string, number | null | string>;

export interface MetricSeries {
  names: string[];
  interval: Interval;
  from: string;
  to: string;
  series: MetricSeriesBucket[];
}

export interface Comparison {
  names: string[];
  interval?: Interval;
  repositories: Array<{
    repository: RepositoryIdentity;
    computedAt: string | null;
    healthScore: number | null;
    metrics: MetricValues;
    series?: MetricSeriesBucket[];
  }>;
}

export interface TrendingRepository extends RepositoryIdentity {
  primaryLanguage: string | null;
  stars: number | null;
  healthScore: number | null;
}

export interface Trends {
  window: string;
  from: string;
  to: string;
  filters: { language: string | null; owner: string | null; host: string | null; scope: string };
  fastestGrowing: Array<TrendingRepository & { starsGained: number }>;
  mostActive: Array<TrendingRepository & { commits: number }>;
  languages: LanguageShare[];
}

export interface RepositoryListItem extends RepositoryIdentity {
  description: string | null;
  language: string | null;
  stars: number | null;
  forks: number | null;
  archived: boolean;
  healthScore: number | null;
  velocity: number | null;
}

export interface RepositoryList {
  items: RepositoryListItem[];
  next: string | null;
}

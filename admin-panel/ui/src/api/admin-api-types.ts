/** The admin API's answers (admin-panel/README.md), as the UI reads them. */

export type SourceKind = 'github-org' | 'github-user' | 'github-repo' | 'git';
export type Role = 'admin' | 'analyst' | 'supplier';
export const roles: readonly Role[] = ['admin', 'analyst', 'supplier'];

export interface Source {
  id: string;
  kind: SourceKind;
  target: string;
  schedule: string | null;
  timezone: string;
  nextRuns: string[];
  enabled: boolean;
  webhookSecretSet: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookSecret {
  secret: string;
  webhookUrl: string;
  contentType: string;
  events: string[];
  instructions?: string;
}

export interface SourcePreset {
  id: string;
  name: string;
  description?: string;
  sources: { kind: SourceKind; target: string; company: string; schedule?: string | null }[];
}

export type CrawlRunStatus = 'queued' | 'running' | 'done' | 'failed';

export interface CrawlRun {
  id: string;
  sourceId: string | null;
  kind: SourceKind | null;
  target: string | null;
  trigger: string;
  requestedBy: string | null;
  status: CrawlRunStatus;
  done: number;
  failed: number;
  total: number | null;
  apiCost: number | null;
  error: string | null;
  errors: { repository: string; error: string; at: string }[];
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

export interface QueueStats {
  name: string;
  depth: number | null;
  consumers: number | null;
  publishRate: number | null;
  deliverRate: number | null;
  ackRate: number | null;
  deadDepth: number | null;
  /** Dead letters of this queue archived in the admin panel's table, waiting for replay or deletion. */
  deadLetters?: number;
}

export interface DeadLetter {
  id: string;
  queue: string;
  messageId: string | null;
  type: string | null;
  attempts: number | null;
  error: string | null;
  failedAt: string;
  archivedAt?: string;
  /** False for a body that was not a readable envelope: it can be read and deleted, not replayed. */
  replayable?: boolean;
  payload: unknown;
}

/** An event the engine could not store, set aside with its reason while the rest of its message was stored. */
export interface RejectedEvent {
  id: string;
  queue: string;
  messageId: string;
  source: string | null;
  eventId: string | null;
  eventType: string | null;
  /** Its index in its batch; null when the whole message was rejected. */
  position: number | null;
  reason: string;
  errors: { path: string; message: string }[];
  /** PostgreSQL's error code when the database refused it; null when its schema did. */
  sqlstate: string | null;
  rejectedAt: string;
  event: unknown;
}

export interface UpstreamHealth {
  sources: {
    sourceId: string;
    kind: SourceKind;
    target: string;
    enabled: boolean;
    lastRunStatus: CrawlRunStatus | null;
    lastSuccessAt: string | null;
    lastErrorAt: string | null;
    lastError: string | null;
  }[];
  tokens: {
    label: string;
    resource: string;
    limit: number | null;
    remaining: number | null;
    resetAt: string | null;
    rejectedAt: string | null;
    rejectedReason: string | null;
    updatedAt: string;
  }[];
}

export interface User {
  id: string;
  username: string;
  roles: Role[];
  disabled: boolean;
  createdAt: string;
  /** Someone guessed this user's password within the last day: logins were refused until `until`. */
  loginThrottle: { since: string; until: string; refusedAttempts: number } | null;
}

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface AclRule {
  id: string;
  priority: number;
  methods: string[];
  pathPattern: string;
  roles: string[];
  rateLimitPerMinute: number | null;
  rateLimitBurst: number | null;
  description: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  actorKind: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  target: string | null;
  outcome: 'success' | 'failure' | 'denied';
  details: unknown;
}

/** A page of a list: newest first, `nextCursor` null at the end. */
export interface Page {
  nextCursor: string | null;
}

/** A host suppliers' crawl requests may name (`/api/crawl-hosts`). */
export interface CrawlHost {
  host: string;
  addedBy: string | null;
  addedAt: string;
}

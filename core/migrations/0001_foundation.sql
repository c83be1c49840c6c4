-- Up Migration

-- One row per tracked repository: host + owner + name, matched without regard to case as GitHub does.
CREATE TABLE IF NOT EXISTS repositories (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  host text NOT NULL,
  owner text NOT NULL,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS repositories_identity ON repositories (lower(host), lower(owner), lower(name));
CREATE INDEX IF NOT EXISTS repositories_owner ON repositories (lower(owner));

-- Facts. Natural keys make every write an idempotent upsert.
CREATE TABLE IF NOT EXISTS commits (
  repository_id bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  sha text NOT NULL,
  authored_at timestamptz NOT NULL,
  committed_at timestamptz,
  author_name text,
  author_email text,
  author_login text,
  message text,
  additions integer,
  deletions integer,
  is_merge boolean NOT NULL DEFAULT false,
  PRIMARY KEY (repository_id, sha)
);
CREATE INDEX IF NOT EXISTS commits_by_author_date ON commits (repository_id, authored_at);

CREATE TABLE IF NOT EXISTS pull_requests (
  repository_id bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  number integer NOT NULL,
  title text,
  author_login text,
  state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed', 'merged')),
  created_at timestamptz,
  merged_at timestamptz,
  closed_at timestamptz,
  -- The time of the event that set `state`: an older event arriving late does not undo a newer one.
  state_changed_at timestamptz NOT NULL,
  PRIMARY KEY (repository_id, number)
);
CREATE INDEX IF NOT EXISTS pull_requests_by_created ON pull_requests (repository_id, created_at);
CREATE INDEX IF NOT EXISTS pull_requests_by_merged ON pull_requests (repository_id, merged_at) WHERE merged_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS issues (
  repository_id bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  number integer NOT NULL,
  title text,
  author_login text,
  state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
  created_at timestamptz,
  -- The last close: a reopened issue counts as closed only by its last close.
  closed_at timestamptz,
  state_changed_at timestamptz NOT NULL,
  PRIMARY KEY (repository_id, number)
);
CREATE INDEX IF NOT EXISTS issues_by_created ON issues (repository_id, created_at);
CREATE INDEX IF NOT EXISTS issues_by_closed ON issues (repository_id, closed_at) WHERE closed_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS releases (
  repository_id bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  tag text NOT NULL,
  name text,
  published_at timestamptz NOT NULL,
  deleted_at timestamptz,
  PRIMARY KEY (repository_id, tag)
);
CREATE INDEX IF NOT EXISTS releases_by_published ON releases (repository_id, published_at);

CREATE TABLE IF NOT EXISTS stars (
  repository_id bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  actor_login text NOT NULL,
  starred_at timestamptz NOT NULL,
  unstarred_at timestamptz,
  PRIMARY KEY (repository_id, actor_login)
);
CREATE INDEX IF NOT EXISTS stars_by_starred ON stars (repository_id, starred_at);

CREATE TABLE IF NOT EXISTS forks (
  repository_id bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  fork_owner text NOT NULL,
  fork_name text NOT NULL,
  actor_login text,
  forked_at timestamptz NOT NULL,
  PRIMARY KEY (repository_id, fork_owner, fork_name)
);
CREATE INDEX IF NOT EXISTS forks_by_forked ON forks (repository_id, forked_at);

-- Read model: activity per repository and UTC day, recomputed from the facts of the days a write touched,
-- so dashboards never scan facts.
CREATE TABLE IF NOT EXISTS activity_daily (
  repository_id bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  day date NOT NULL,
  commits integer NOT NULL DEFAULT 0,
  pull_requests_opened integer NOT NULL DEFAULT 0,
  pull_requests_merged integer NOT NULL DEFAULT 0,
  issues_opened integer NOT NULL DEFAULT 0,
  issues_closed integer NOT NULL DEFAULT 0,
  releases integer NOT NULL DEFAULT 0,
  stars integer NOT NULL DEFAULT 0,
  forks integer NOT NULL DEFAULT 0,
  PRIMARY KEY (repository_id, day)
);

-- Generic events already applied, by the supplier's own id: a resent event changes nothing.
CREATE TABLE IF NOT EXISTS processed_events (
  source text NOT NULL,
  event_id text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, event_id)
);

-- Inbox: messages a consumer has committed, so a redelivered message is acknowledged without effect.
CREATE TABLE IF NOT EXISTS processed_messages (
  consumer text NOT NULL,
  message_id text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_id)
);
CREATE INDEX IF NOT EXISTS processed_messages_by_time ON processed_messages (processed_at);

-- Outbox: follow-up messages written in the handler's transaction, published by the relay afterwards.
CREATE TABLE IF NOT EXISTS outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id text NOT NULL,
  routing_key text NOT NULL,
  body jsonb NOT NULL,
  -- Pending messages with the same key are one message (e.g. one metrics.compute per repository).
  coalesce_key text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS outbox_pending_coalesce ON outbox (coalesce_key) WHERE coalesce_key IS NOT NULL;

-- Down Migration
DROP TABLE IF EXISTS outbox, processed_messages, processed_events, activity_daily, forks, stars, releases,
  issues, pull_requests, commits, repositories;

-- Up Migration

-- Repository metadata, as the GitHub crawler and webhooks report it, and where each crawl left off.
ALTER TABLE repositories
  ADD COLUMN IF NOT EXISTS github_id bigint,
  ADD COLUMN IF NOT EXISTS node_id text,
  ADD COLUMN IF NOT EXISTS owner_type text,
  ADD COLUMN IF NOT EXISTS description text,
  ADD COLUMN IF NOT EXISTS homepage text,
  ADD COLUMN IF NOT EXISTS stars integer,
  ADD COLUMN IF NOT EXISTS forks integer,
  ADD COLUMN IF NOT EXISTS watchers integer,
  ADD COLUMN IF NOT EXISTS open_issues integer,
  ADD COLUMN IF NOT EXISTS primary_language text,
  -- Language name → bytes of code, as GitHub's linguist counts them.
  ADD COLUMN IF NOT EXISTS languages jsonb,
  ADD COLUMN IF NOT EXISTS topics text[],
  ADD COLUMN IF NOT EXISTS license text,
  ADD COLUMN IF NOT EXISTS default_branch text,
  ADD COLUMN IF NOT EXISTS archived boolean,
  ADD COLUMN IF NOT EXISTS is_fork boolean,
  ADD COLUMN IF NOT EXISTS has_issues boolean,
  ADD COLUMN IF NOT EXISTS repo_created_at timestamptz,
  ADD COLUMN IF NOT EXISTS pushed_at timestamptz,
  ADD COLUMN IF NOT EXISTS git_url text,
  ADD COLUMN IF NOT EXISTS metadata_updated_at timestamptz,
  -- Incremental crawls: pull requests and issues updated at or after these were not yet read.
  ADD COLUMN IF NOT EXISTS pull_requests_synced_at timestamptz,
  ADD COLUMN IF NOT EXISTS issues_synced_at timestamptz,
  ADD COLUMN IF NOT EXISTS releases_synced_at timestamptz,
  -- The default branch's head when git was last read: a re-crawl reads only what is new since.
  ADD COLUMN IF NOT EXISTS git_head text,
  ADD COLUMN IF NOT EXISTS git_crawled_at timestamptz,
  -- The repository's crawl ended for good (404, 451, access blocked): the reason, not retried forever.
  ADD COLUMN IF NOT EXISTS crawl_error text,
  ADD COLUMN IF NOT EXISTS crawl_error_at timestamptz;
CREATE UNIQUE INDEX IF NOT EXISTS repositories_github_id ON repositories (github_id) WHERE github_id IS NOT NULL;

-- Commits as git records them: mailmap applied (originals kept), time zones, numstat, trailers, bots.
ALTER TABLE commits
  ADD COLUMN IF NOT EXISTS author_original_name text,
  ADD COLUMN IF NOT EXISTS author_original_email text,
  ADD COLUMN IF NOT EXISTS author_tz_offset smallint,
  ADD COLUMN IF NOT EXISTS committer_name text,
  ADD COLUMN IF NOT EXISTS committer_email text,
  ADD COLUMN IF NOT EXISTS committer_tz_offset smallint,
  ADD COLUMN IF NOT EXISTS files_changed integer,
  -- [{ "name", "email" }] from Co-authored-by trailers, mailmap applied.
  ADD COLUMN IF NOT EXISTS co_authors jsonb,
  ADD COLUMN IF NOT EXISTS author_is_bot boolean NOT NULL DEFAULT false;

-- Who opened, who answered first and when (CHAOSS time to first response), and whether it is a bot's.
ALTER TABLE pull_requests
  ADD COLUMN IF NOT EXISTS github_id bigint,
  ADD COLUMN IF NOT EXISTS author_id bigint,
  ADD COLUMN IF NOT EXISTS author_is_bot boolean NOT NULL DEFAULT false,
  ADD COLUMN IF NOT EXISTS author_association text,
  ADD COLUMN IF NOT EXISTS updated_at timestamptz,
  ADD COLUMN IF NOT EXISTS is_draft boolean,
  ADD COLUMN IF NOT EXISTS merged_by_login text,
  -- An APPROVED review by someone other than the author.
  ADD COLUMN IF NOT EXISTS approved boolean,
  ADD COLUMN IF NOT EXISTS first_response_at timestamptz,
  ADD COLUMN IF NOT EXISTS first_responder_login text;

ALTER TABLE issues
  ADD COLUMN IF NOT EXISTS github_id bigint,
  ADD COLUMN IF NOT EXISTS author_id bigint,
  ADD COLUMN IF NOT EXISTS author_is_bot boolean NOT NULL DEFAULT false,
  ADD COLUMN IF NOT EXISTS author_association text,
  ADD COLUMN IF NOT EXISTS updated_at timestamptz,
  ADD COLUMN IF NOT EXISTS comments integer,
  ADD COLUMN IF NOT EXISTS first_response_at timestamptz,
  ADD COLUMN IF NOT EXISTS first_responder_login text;

-- One row per crawl an admin, a schedule or a crawl request started; progress counts repositories.
CREATE TABLE IF NOT EXISTS crawl_runs (
  id text PRIMARY KEY,
  source_id bigint REFERENCES sources (id) ON DELETE SET NULL,
  kind text NOT NULL CHECK (kind IN ('github-org', 'github-user', 'github-repo', 'git')),
  target text NOT NULL,
  trigger text NOT NULL DEFAULT 'request' CHECK (trigger IN ('admin', 'schedule', 'request')),
  requested_by text,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  -- Repositories to crawl (null until an organisation's listing is known), and how many have finished.
  total integer,
  done integer NOT NULL DEFAULT 0,
  failed integer NOT NULL DEFAULT 0,
  -- GitHub cost: GraphQL points plus REST requests that were not answered 304.
  api_cost integer NOT NULL DEFAULT 0,
  error text,
  -- [{ "repository", "error", "at" }], the most recent first, capped.
  errors jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS crawl_runs_by_created ON crawl_runs (created_at DESC);
CREATE INDEX IF NOT EXISTS crawl_runs_by_source ON crawl_runs (source_id, created_at DESC);

-- The repositories of a run, so a redelivered crawl.repo counts once.
CREATE TABLE IF NOT EXISTS crawl_run_items (
  run_id text NOT NULL REFERENCES crawl_runs (id) ON DELETE CASCADE,
  item text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
  error text,
  api_cost integer NOT NULL DEFAULT 0,
  finished_at timestamptz,
  PRIMARY KEY (run_id, item)
);

-- The GitHub token pool as GitHub last reported it, per rate-limit resource (core, graphql, search…),
-- shared by every engine replica. Tokens are known by a fingerprint, never stored.
CREATE TABLE IF NOT EXISTS github_tokens (
  fingerprint text NOT NULL,
  resource text NOT NULL,
  label text NOT NULL,
  rate_limit integer,
  remaining integer,
  reset_at timestamptz,
  rejected_at timestamptz,
  rejected_reason text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (fingerprint, resource)
);

-- Conditional requests: the last ETag and body of each REST URL, so an unchanged answer (304) costs nothing.
CREATE TABLE IF NOT EXISTS github_http_cache (
  url text PRIMARY KEY,
  etag text NOT NULL,
  link text,
  body jsonb NOT NULL,
  fetched_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE IF EXISTS github_http_cache, github_tokens, crawl_run_items, crawl_runs;

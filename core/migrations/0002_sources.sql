-- Up Migration

-- What admins track: a GitHub organisation or user, a GitHub repository ("owner/name") or a git URL, with
-- an optional cron schedule. One row per kind and target, matched without regard to case as GitHub does.
CREATE TABLE IF NOT EXISTS sources (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('github-org', 'github-user', 'github-repo', 'git')),
  target text NOT NULL CHECK (target <> ''),
  schedule text,
  enabled boolean NOT NULL DEFAULT true,
  -- Kept as it is, not hashed: verifying a webhook's HMAC signature needs the secret itself.
  webhook_secret text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS sources_identity ON sources (kind, lower(target));

-- Down Migration
DROP TABLE IF EXISTS sources;

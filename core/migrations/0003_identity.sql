-- Up Migration

-- People who log in. Roles: admin, analyst, supplier. Scopes narrow what a role allows (see identity.ts).
CREATE TABLE IF NOT EXISTS users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username text NOT NULL CHECK (username ~ '^[A-Za-z0-9._@-]{1,100}$'),
  password_hash text NOT NULL,
  roles text[] NOT NULL CHECK (roles <@ ARRAY['admin', 'analyst', 'supplier']::text[]),
  scopes jsonb NOT NULL DEFAULT '{}'::jsonb,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS users_username ON users (lower(username));

-- Keys for suppliers and scripts: `rp_<key_id>_<secret>`; only a hash of the secret is kept.
CREATE TABLE IF NOT EXISTS api_keys (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key_id text NOT NULL UNIQUE,
  secret_hash text NOT NULL,
  name text NOT NULL CHECK (name <> ''),
  role text NOT NULL CHECK (role IN ('admin', 'analyst', 'supplier')),
  scopes jsonb NOT NULL DEFAULT '{}'::jsonb,
  expires_at timestamptz,
  revoked_at timestamptz,
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);

-- The ACL: method + path pattern → roles, checked on every request before it is forwarded; a request no
-- rule matches is denied. `roles` may hold 'anyone' (no credentials needed) or 'authenticated'. Rules are
-- tried by ascending priority; the first whose method and pattern match decides. A pattern is a path, or
-- a path ending in '/*' (that path and everything below it).
CREATE TABLE IF NOT EXISTS acl_rules (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  priority integer NOT NULL,
  methods text[] NOT NULL,
  path_pattern text NOT NULL CHECK (path_pattern ~ '^/'),
  roles text[] NOT NULL,
  -- Token bucket per caller (API key, user, else address) on this rule: refill per minute, bucket size.
  rate_limit_per_minute integer CHECK (rate_limit_per_minute > 0),
  rate_limit_burst integer CHECK (rate_limit_burst > 0),
  description text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (priority)
);

INSERT INTO acl_rules (priority, methods, path_pattern, roles, rate_limit_per_minute, rate_limit_burst, description)
VALUES
  (10, '{POST}', '/auth/token', '{anyone}', 10, 10, 'log in: username and password for a JWT'),
  (20, '{GET,HEAD}', '/auth/me', '{authenticated}', 600, 100, 'who am I'),
  (30, '{GET,HEAD}', '/auth/usage', '{admin}', 600, 100, 'usage statistics per user and key'),
  (40, '{POST}', '/ingest/v1/webhooks/github', '{anyone}', 1200, 200, 'GitHub webhooks: the gateway checks the signature'),
  (50, '{*}', '/ingest/*', '{supplier,admin}', 1200, 200, 'ingest API'),
  (60, '{GET,HEAD}', '/api/*', '{analyst,admin}', 1200, 200, 'read API'),
  (70, '{*}', '/admin/api/*', '{admin}', 600, 100, 'admin API'),
  (80, '{GET,HEAD}', '/admin/*', '{anyone}', NULL, NULL, 'admin UI assets'),
  (90, '{GET,HEAD}', '/*', '{anyone}', NULL, NULL, 'analyst UI assets')
ON CONFLICT (priority) DO NOTHING;

-- Failed logins per user and per address, for slowing down guessing (shared by every proxy replica).
CREATE TABLE IF NOT EXISTS login_failures (
  subject text PRIMARY KEY,
  failures integer NOT NULL,
  last_failure_at timestamptz NOT NULL
);

-- Usage per caller, route (ACL rule pattern) and UTC day.
CREATE TABLE IF NOT EXISTS usage_daily (
  day date NOT NULL,
  principal_kind text NOT NULL CHECK (principal_kind IN ('user', 'api-key', 'anonymous')),
  principal_id text NOT NULL,
  route text NOT NULL,
  requests bigint NOT NULL DEFAULT 0,
  denials bigint NOT NULL DEFAULT 0,
  bytes_in bigint NOT NULL DEFAULT 0,
  bytes_out bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (day, principal_kind, principal_id, route)
);

-- Who did what, when: logins, denied requests, admin changes.
CREATE TABLE IF NOT EXISTS audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'api-key', 'anonymous', 'system')),
  actor_id text,
  actor_name text,
  action text NOT NULL,
  target text,
  outcome text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  request_id text,
  address text
);
CREATE INDEX IF NOT EXISTS audit_log_by_time ON audit_log (occurred_at);
CREATE INDEX IF NOT EXISTS audit_log_by_action ON audit_log (action, occurred_at);

-- Down Migration
DROP TABLE IF EXISTS audit_log, usage_daily, login_failures, acl_rules, api_keys, users;

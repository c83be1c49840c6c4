-- Up Migration

-- Bumped by a password change, a disable and an admin's "sign out everywhere" (core's user store). A JWT
-- carries the version it was issued under (claim `ver`); the proxy refuses one that is no longer the user's.
ALTER TABLE users ADD COLUMN IF NOT EXISTS token_version integer NOT NULL DEFAULT 0;

-- Every change to who may do what is announced on the channel `identity_changes`, whoever made it (the
-- admin panel, the proxy, psql): `{ "table": "users" | "api_keys" | "acl_rules", "id": "12" | null }`.
-- PostgreSQL delivers a notification when its transaction commits, so a proxy that reads after hearing it
-- sees the change; each proxy replica LISTENs (on DATABASE_URL: a session, never a transaction pooler) and
-- drops the entries of its caches at once.
CREATE OR REPLACE FUNCTION notify_identity_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  changed_id text;
BEGIN
  IF TG_LEVEL = 'ROW' THEN
    changed_id := CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END::text;
  END IF;
  PERFORM pg_notify('identity_changes', json_build_object('table', TG_TABLE_NAME, 'id', changed_id)::text);
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS users_identity_change ON users;
CREATE TRIGGER users_identity_change AFTER INSERT OR UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION notify_identity_change();

-- Not on `last_used_at`, which a key in use touches once a minute; not on INSERT: a new key is in no cache.
DROP TRIGGER IF EXISTS api_keys_identity_change ON api_keys;
CREATE TRIGGER api_keys_identity_change
  AFTER UPDATE OF key_id, secret_hash, name, role, scopes, expires_at, revoked_at OR DELETE ON api_keys
  FOR EACH ROW EXECUTE FUNCTION notify_identity_change();

-- The proxy reloads the whole ACL on any change: one notification per statement is enough.
DROP TRIGGER IF EXISTS acl_rules_identity_change ON acl_rules;
CREATE TRIGGER acl_rules_identity_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON acl_rules
  FOR EACH STATEMENT EXECUTE FUNCTION notify_identity_change();

-- Password guesses the proxy evaluated, per subject (`user:<lower-case username>`, known or not, and
-- `address:<ip>`), kept for one window (LOGIN_GUESS_WINDOW_SECONDS). A row is taken before a password is
-- checked, under a lock per subject, and only while the subject has fewer than its limit in the window;
-- a right password gives its rows back. So every replica shares one bound per account and per address,
-- however many attempts run at once.
CREATE TABLE IF NOT EXISTS login_guesses (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject text NOT NULL,
  guessed_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS login_guesses_by_subject ON login_guesses (subject, guessed_at);

-- A subject refused for too many guesses: one row per episode (a refusal after `until` starts a new one),
-- for the audit row at its start and the notice admins see on the user (GET /api/users).
CREATE TABLE IF NOT EXISTS login_throttles (
  subject text PRIMARY KEY,
  started_at timestamptz NOT NULL,
  until timestamptz NOT NULL,
  refused integer NOT NULL
);

-- The per-address budget on POST /auth/token was the only bound on guessing, so it had to be small and
-- a whole office behind one NAT shared 10 logins a minute. Guesses are now bounded per account and per
-- address by the proxy itself (above), counting wrong passwords only; this limit is left as a flood
-- guard. Only the seeded values are changed: a limit an admin chose stays.
UPDATE acl_rules SET rate_limit_per_minute = 120, rate_limit_burst = 60, updated_at = now()
WHERE acl_rules.priority = 10 AND acl_rules.path_pattern = '/auth/token'
  AND acl_rules.rate_limit_per_minute = 10 AND acl_rules.rate_limit_burst = 10;

-- Down Migration
UPDATE acl_rules SET rate_limit_per_minute = 10, rate_limit_burst = 10, updated_at = now()
WHERE acl_rules.priority = 10 AND acl_rules.path_pattern = '/auth/token'
  AND acl_rules.rate_limit_per_minute = 120 AND acl_rules.rate_limit_burst = 60;
DROP TABLE IF EXISTS login_throttles, login_guesses;
DROP TRIGGER IF EXISTS acl_rules_identity_change ON acl_rules;
DROP TRIGGER IF EXISTS api_keys_identity_change ON api_keys;
DROP TRIGGER IF EXISTS users_identity_change ON users;
DROP FUNCTION IF EXISTS notify_identity_change();
ALTER TABLE users DROP COLUMN IF EXISTS token_version;

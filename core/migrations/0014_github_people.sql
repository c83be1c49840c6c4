-- Up Migration

-- GitHub users as the crawler last saw them, for docs/METRICS.md's organisation of a person: "their GitHub
-- company where known, else the e-mail domain". Keyed by GitHub's user id, which survives a rename, and
-- carries no host, like pull_requests.author_id and issues.author_id it is matched with: the engine talks to
-- one GitHub (GITHUB_API_URL), whose ids these are. `company` is the profile's text as written;
-- `organisation` is its normalised key (`@Acme, Inc.` → `acme`), null when it names no employer (empty,
-- "none", "freelance"…), and the metrics then fall back to the e-mail domain. A row is written only when its
-- login, company or organisation changed, so re-crawls leave unchanged people untouched.
CREATE TABLE IF NOT EXISTS github_people (
  github_id bigint PRIMARY KEY,
  login text NOT NULL,
  company text,
  organisation text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- Commit authors known only by a login (webhook commits, old noreply addresses) are looked up by it, as
-- GitHub matches logins: without regard to case.
CREATE INDEX IF NOT EXISTS github_people_by_login ON github_people (lower(login));

-- Down Migration
DROP TABLE IF EXISTS github_people;

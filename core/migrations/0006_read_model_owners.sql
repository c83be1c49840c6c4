-- Up Migration

-- Read model: activity per owner (organisation or user) and UTC day, the sum of activity_daily over the
-- owner's repositories on that host. The engine re-sums the (owner, day) pairs a write touched, in the
-- write's transaction (integration-engine/src/activity/refresh-activity-days.ts), so an organisation's
-- portfolio reads one row per day instead of one per repository and day. Keys are lowered as the
-- repositories' identity index compares them.
CREATE TABLE IF NOT EXISTS owner_activity_daily (
  host text NOT NULL,
  owner_key text NOT NULL,
  day date NOT NULL,
  commits integer NOT NULL DEFAULT 0,
  pull_requests_opened integer NOT NULL DEFAULT 0,
  pull_requests_merged integer NOT NULL DEFAULT 0,
  issues_opened integer NOT NULL DEFAULT 0,
  issues_closed integer NOT NULL DEFAULT 0,
  releases integer NOT NULL DEFAULT 0,
  stars integer NOT NULL DEFAULT 0,
  forks integer NOT NULL DEFAULT 0,
  PRIMARY KEY (host, owner_key, day)
);

INSERT INTO owner_activity_daily AS o (host, owner_key, day, commits, pull_requests_opened, pull_requests_merged,
  issues_opened, issues_closed, releases, stars, forks)
SELECT lower(repositories.host), lower(repositories.owner), activity_daily.day,
       sum(activity_daily.commits), sum(activity_daily.pull_requests_opened),
       sum(activity_daily.pull_requests_merged), sum(activity_daily.issues_opened),
       sum(activity_daily.issues_closed), sum(activity_daily.releases), sum(activity_daily.stars),
       sum(activity_daily.forks)
  FROM activity_daily
  JOIN repositories ON repositories.id = activity_daily.repository_id
 GROUP BY lower(repositories.host), lower(repositories.owner), activity_daily.day
ON CONFLICT (host, owner_key, day) DO UPDATE SET
  commits = EXCLUDED.commits,
  pull_requests_opened = EXCLUDED.pull_requests_opened,
  pull_requests_merged = EXCLUDED.pull_requests_merged,
  issues_opened = EXCLUDED.issues_opened,
  issues_closed = EXCLUDED.issues_closed,
  releases = EXCLUDED.releases,
  stars = EXCLUDED.stars,
  forks = EXCLUDED.forks;

-- No engine path deletes a repository or changes its owner today, but a row deleted by hand (its
-- activity_daily rows go with it, by cascade) or moved to another owner must not leave its activity
-- counted where it was. Runs before the delete, while the repository's activity_daily rows still exist.
CREATE OR REPLACE FUNCTION owner_activity_daily_move_repository() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE owner_activity_daily AS o SET
    commits = o.commits - a.commits,
    pull_requests_opened = o.pull_requests_opened - a.pull_requests_opened,
    pull_requests_merged = o.pull_requests_merged - a.pull_requests_merged,
    issues_opened = o.issues_opened - a.issues_opened,
    issues_closed = o.issues_closed - a.issues_closed,
    releases = o.releases - a.releases,
    stars = o.stars - a.stars,
    forks = o.forks - a.forks
  FROM activity_daily AS a
  WHERE a.repository_id = OLD.id
    AND o.host = lower(OLD.host) AND o.owner_key = lower(OLD.owner) AND o.day = a.day;
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO owner_activity_daily AS o (host, owner_key, day, commits, pull_requests_opened,
      pull_requests_merged, issues_opened, issues_closed, releases, stars, forks)
    SELECT lower(NEW.host), lower(NEW.owner), a.day, a.commits, a.pull_requests_opened, a.pull_requests_merged,
           a.issues_opened, a.issues_closed, a.releases, a.stars, a.forks
      FROM activity_daily AS a
     WHERE a.repository_id = NEW.id
     ORDER BY a.day
    ON CONFLICT (host, owner_key, day) DO UPDATE SET
      commits = o.commits + EXCLUDED.commits,
      pull_requests_opened = o.pull_requests_opened + EXCLUDED.pull_requests_opened,
      pull_requests_merged = o.pull_requests_merged + EXCLUDED.pull_requests_merged,
      issues_opened = o.issues_opened + EXCLUDED.issues_opened,
      issues_closed = o.issues_closed + EXCLUDED.issues_closed,
      releases = o.releases + EXCLUDED.releases,
      stars = o.stars + EXCLUDED.stars,
      forks = o.forks + EXCLUDED.forks;
    RETURN NEW;
  END IF;
  RETURN OLD;
END;
$$;

CREATE OR REPLACE TRIGGER owner_activity_daily_repository_deleted
  BEFORE DELETE ON repositories
  FOR EACH ROW EXECUTE FUNCTION owner_activity_daily_move_repository();

CREATE OR REPLACE TRIGGER owner_activity_daily_repository_moved
  AFTER UPDATE OF host, owner ON repositories
  FOR EACH ROW
  WHEN (lower(OLD.host) IS DISTINCT FROM lower(NEW.host) OR lower(OLD.owner) IS DISTINCT FROM lower(NEW.owner))
  EXECUTE FUNCTION owner_activity_daily_move_repository();

-- Trends and portfolios rank and filter thousands of repositories by a few metrics of their latest
-- snapshot. Reading them out of the `metrics` document means decompressing it row by row; as stored
-- generated columns PostgreSQL extracts them once per write (the engine's upsert need not name them),
-- and they can be indexed. A value that is not a number (a metric unknown, with a reason) is null.
ALTER TABLE metric_snapshots
  ADD COLUMN IF NOT EXISTS commits_30d double precision GENERATED ALWAYS AS (
    CASE WHEN jsonb_typeof(metrics -> 'commits_30d' -> 'value') = 'number'
         THEN (metrics -> 'commits_30d' ->> 'value')::double precision END) STORED,
  ADD COLUMN IF NOT EXISTS commits_90d double precision GENERATED ALWAYS AS (
    CASE WHEN jsonb_typeof(metrics -> 'commits_90d' -> 'value') = 'number'
         THEN (metrics -> 'commits_90d' ->> 'value')::double precision END) STORED,
  ADD COLUMN IF NOT EXISTS commits_365d double precision GENERATED ALWAYS AS (
    CASE WHEN jsonb_typeof(metrics -> 'commits_365d' -> 'value') = 'number'
         THEN (metrics -> 'commits_365d' ->> 'value')::double precision END) STORED,
  ADD COLUMN IF NOT EXISTS stars_gained_30d double precision GENERATED ALWAYS AS (
    CASE WHEN jsonb_typeof(metrics -> 'stars_gained_30d' -> 'value') = 'number'
         THEN (metrics -> 'stars_gained_30d' ->> 'value')::double precision END) STORED;

-- Top N by each trend measure: an ordered index scan that stops after N (filtered) rows; the repository
-- breaks ties (newest first, as the repository list orders them), so the order is stable.
CREATE INDEX IF NOT EXISTS metric_snapshots_by_commits_30d
  ON metric_snapshots (commits_30d DESC NULLS LAST, repository_id DESC);
CREATE INDEX IF NOT EXISTS metric_snapshots_by_commits_90d
  ON metric_snapshots (commits_90d DESC NULLS LAST, repository_id DESC);
CREATE INDEX IF NOT EXISTS metric_snapshots_by_commits_365d
  ON metric_snapshots (commits_365d DESC NULLS LAST, repository_id DESC);
CREATE INDEX IF NOT EXISTS metric_snapshots_by_stars_gained_30d
  ON metric_snapshots (stars_gained_30d DESC NULLS LAST, repository_id DESC);

-- Read model: one row per repository and language, from the repository's `languages` (name → bytes, as
-- GitHub's linguist counts them), or its primary language with 0 bytes when only that is known. Language
-- shares across thousands of repositories then sum plain rows instead of unpacking each document. Kept by
-- triggers because every writer of `languages` (crawls, webhooks) goes through the repositories row.
CREATE TABLE IF NOT EXISTS repository_languages (
  repository_id bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  language text NOT NULL,
  bytes bigint NOT NULL,
  PRIMARY KEY (repository_id, language)
);

CREATE OR REPLACE FUNCTION repository_language_entries(languages jsonb, primary_language text)
RETURNS TABLE (language text, bytes bigint)
LANGUAGE sql IMMUTABLE AS $$
  SELECT entry.key,
         CASE WHEN jsonb_typeof(entry.value) = 'number' THEN round(entry.value::text::numeric)::bigint ELSE 0 END
    FROM jsonb_each(CASE WHEN jsonb_typeof(languages) = 'object' THEN languages END) AS entry
  UNION ALL
  SELECT primary_language, 0
   WHERE primary_language IS NOT NULL
     AND (jsonb_typeof(languages) IS DISTINCT FROM 'object' OR languages = '{}'::jsonb)
$$;

CREATE OR REPLACE FUNCTION repository_languages_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM repository_languages WHERE repository_languages.repository_id = NEW.id;
  INSERT INTO repository_languages (repository_id, language, bytes)
  SELECT NEW.id, entries.language, entries.bytes
    FROM repository_language_entries(NEW.languages, NEW.primary_language) AS entries;
  RETURN NULL;
END;
$$;

CREATE OR REPLACE TRIGGER repository_languages_inserted
  AFTER INSERT ON repositories
  FOR EACH ROW
  WHEN (NEW.languages IS NOT NULL OR NEW.primary_language IS NOT NULL)
  EXECUTE FUNCTION repository_languages_refresh();

CREATE OR REPLACE TRIGGER repository_languages_updated
  AFTER UPDATE OF languages, primary_language ON repositories
  FOR EACH ROW
  WHEN (OLD.languages IS DISTINCT FROM NEW.languages OR OLD.primary_language IS DISTINCT FROM NEW.primary_language)
  EXECUTE FUNCTION repository_languages_refresh();

INSERT INTO repository_languages (repository_id, language, bytes)
SELECT repositories.id, entries.language, entries.bytes
  FROM repositories
 CROSS JOIN LATERAL repository_language_entries(repositories.languages, repositories.primary_language) AS entries
ON CONFLICT (repository_id, language) DO NOTHING;

-- Trends: commits of the last 7 days sum the activity rollup of those days across repositories; stars
-- gained over a window read every repository's count snapshot of the window's first day.
CREATE INDEX IF NOT EXISTS activity_daily_by_day ON activity_daily (day);
CREATE INDEX IF NOT EXISTS repository_counts_daily_by_day ON repository_counts_daily (day) INCLUDE (repository_id, stars);

-- Down Migration
DROP INDEX IF EXISTS repository_counts_daily_by_day, activity_daily_by_day;
DROP TRIGGER IF EXISTS repository_languages_updated ON repositories;
DROP TRIGGER IF EXISTS repository_languages_inserted ON repositories;
DROP FUNCTION IF EXISTS repository_languages_refresh();
DROP FUNCTION IF EXISTS repository_language_entries(jsonb, text);
DROP TABLE IF EXISTS repository_languages;
DROP INDEX IF EXISTS metric_snapshots_by_stars_gained_30d, metric_snapshots_by_commits_365d,
  metric_snapshots_by_commits_90d, metric_snapshots_by_commits_30d;
ALTER TABLE metric_snapshots DROP COLUMN IF EXISTS stars_gained_30d, DROP COLUMN IF EXISTS commits_365d,
  DROP COLUMN IF EXISTS commits_90d, DROP COLUMN IF EXISTS commits_30d;
DROP TRIGGER IF EXISTS owner_activity_daily_repository_moved ON repositories;
DROP TRIGGER IF EXISTS owner_activity_daily_repository_deleted ON repositories;
DROP FUNCTION IF EXISTS owner_activity_daily_move_repository();
DROP TABLE IF EXISTS owner_activity_daily;

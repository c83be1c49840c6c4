-- Up Migration

-- The owner rollup moved by appended changes instead of in-place increments. Every repository of an
-- organisation shares its (owner, day) rows, so writers incrementing them in their own transactions queue
-- up on those rows from the increment to the commit (a backfill of one organisation ran one batch at a
-- time). Writers now append their net changes here, taking no lock; the engine folds them into
-- owner_activity_daily every second (integration-engine/src/activity/fold-owner-activity-changes.ts), and
-- readers read the owner_activity view: the folded rows plus the changes not folded yet, so what they
-- see is exact at every moment.
CREATE TABLE IF NOT EXISTS owner_activity_changes (
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
  forks integer NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS owner_activity_changes_by_owner ON owner_activity_changes (host, owner_key, day);

CREATE OR REPLACE VIEW owner_activity AS
SELECT rows.host, rows.owner_key, rows.day,
       sum(rows.commits)::integer AS commits,
       sum(rows.pull_requests_opened)::integer AS pull_requests_opened,
       sum(rows.pull_requests_merged)::integer AS pull_requests_merged,
       sum(rows.issues_opened)::integer AS issues_opened,
       sum(rows.issues_closed)::integer AS issues_closed,
       sum(rows.releases)::integer AS releases,
       sum(rows.stars)::integer AS stars,
       sum(rows.forks)::integer AS forks
  FROM (SELECT o.host, o.owner_key, o.day, o.commits, o.pull_requests_opened, o.pull_requests_merged,
               o.issues_opened, o.issues_closed, o.releases, o.stars, o.forks
          FROM owner_activity_daily AS o
        UNION ALL
        SELECT c.host, c.owner_key, c.day, c.commits, c.pull_requests_opened, c.pull_requests_merged,
               c.issues_opened, c.issues_closed, c.releases, c.stars, c.forks
          FROM owner_activity_changes AS c) AS rows
 GROUP BY rows.host, rows.owner_key, rows.day;

-- A repository deleted or moved to another owner takes its activity with it, as changes of both owners.
CREATE OR REPLACE FUNCTION owner_activity_daily_move_repository() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO owner_activity_changes (host, owner_key, day, commits, pull_requests_opened, pull_requests_merged,
    issues_opened, issues_closed, releases, stars, forks)
  SELECT lower(OLD.host), lower(OLD.owner), a.day, -a.commits, -a.pull_requests_opened, -a.pull_requests_merged,
         -a.issues_opened, -a.issues_closed, -a.releases, -a.stars, -a.forks
    FROM activity_daily AS a
   WHERE a.repository_id = OLD.id;
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO owner_activity_changes (host, owner_key, day, commits, pull_requests_opened, pull_requests_merged,
      issues_opened, issues_closed, releases, stars, forks)
    SELECT lower(NEW.host), lower(NEW.owner), a.day, a.commits, a.pull_requests_opened, a.pull_requests_merged,
           a.issues_opened, a.issues_closed, a.releases, a.stars, a.forks
      FROM activity_daily AS a
     WHERE a.repository_id = NEW.id;
    RETURN NEW;
  END IF;
  RETURN OLD;
END;
$$;

-- Down Migration
-- Changes not folded yet go into the rollup first; then 0006's in-place trigger function comes back.
WITH moved AS (DELETE FROM owner_activity_changes RETURNING *)
INSERT INTO owner_activity_daily AS o (host, owner_key, day, commits, pull_requests_opened, pull_requests_merged,
  issues_opened, issues_closed, releases, stars, forks)
SELECT host, owner_key, day, sum(commits), sum(pull_requests_opened), sum(pull_requests_merged), sum(issues_opened),
       sum(issues_closed), sum(releases), sum(stars), sum(forks)
  FROM moved GROUP BY host, owner_key, day
ON CONFLICT (host, owner_key, day) DO UPDATE SET
  commits = o.commits + EXCLUDED.commits,
  pull_requests_opened = o.pull_requests_opened + EXCLUDED.pull_requests_opened,
  pull_requests_merged = o.pull_requests_merged + EXCLUDED.pull_requests_merged,
  issues_opened = o.issues_opened + EXCLUDED.issues_opened,
  issues_closed = o.issues_closed + EXCLUDED.issues_closed,
  releases = o.releases + EXCLUDED.releases,
  stars = o.stars + EXCLUDED.stars,
  forks = o.forks + EXCLUDED.forks;
DROP VIEW IF EXISTS owner_activity;
DROP TABLE IF EXISTS owner_activity_changes;
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

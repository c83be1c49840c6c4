-- Up Migration

-- One row per scheduled occurrence of a source that a cron replica fired: the primary key is the run key
-- that makes every occurrence fire once across replicas (each replica fires every occurrence; the one
-- that inserts the row first, holding the source's row lock, is the one that starts the crawl). The
-- occurrence is the time the schedule named, or the source's creation for its first crawl.
CREATE TABLE IF NOT EXISTS schedule_firings (
  source_id bigint NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  occurrence timestamptz NOT NULL,
  -- schedule: on time; late: the replica's clock tick came late (a blocked event loop) and it caught
  -- up; catch-up: missed while no replica ran (CRON_CATCH_UP=run-once); initial: a new source's first crawl.
  reason text NOT NULL CHECK (reason IN ('schedule', 'late', 'catch-up', 'initial')),
  outcome text NOT NULL CHECK (outcome IN ('started', 'skipped')),
  crawl_run_id text REFERENCES crawl_runs (id) ON DELETE SET NULL,
  skipped_reason text,
  fired_by text NOT NULL,
  fired_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_id, occurrence)
);
CREATE INDEX IF NOT EXISTS schedule_firings_by_fired ON schedule_firings (fired_at);

-- "Is a run of this source still going?" is asked at every firing.
CREATE INDEX IF NOT EXISTS crawl_runs_active_by_source ON crawl_runs (source_id)
  WHERE status IN ('queued', 'running');

-- Down Migration
DROP INDEX IF EXISTS crawl_runs_active_by_source;
DROP TABLE IF EXISTS schedule_firings;

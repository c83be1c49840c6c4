-- Up Migration

-- The read API's repository list (output gateway, GET /v1/repositories): its filters and sort keys served
-- from indexes and narrow columns, not from every row's metrics document.

-- `q` finds text in the owner, name or description without regard to case (ILIKE '%…%'). Trigram indexes
-- serve that for three characters or more; shorter text reads the index whole, never the table.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS repositories_text_search ON repositories
  USING gin (owner gin_trgm_ops, name gin_trgm_ops, description gin_trgm_ops);

-- `language` matches the primary language without regard to case.
CREATE INDEX IF NOT EXISTS repositories_primary_language ON repositories (lower(primary_language));

-- sort=stars (the default), in the list's order: no value last, ties by id.
CREATE INDEX IF NOT EXISTS repositories_by_stars ON repositories (stars DESC NULLS LAST, id DESC);

-- sort=velocity reads commits_90d from its own column of the snapshot rather than detoasting the metrics
-- document row by row. 0006_read_model_owners adds the column and its index (and drops them on the way
-- down); repeated here, as a no-op, so the list does not depend on that migration staying as it is.
ALTER TABLE metric_snapshots
  ADD COLUMN IF NOT EXISTS commits_90d double precision GENERATED ALWAYS AS (
    CASE WHEN jsonb_typeof(metrics -> 'commits_90d' -> 'value') = 'number'
         THEN (metrics -> 'commits_90d' ->> 'value')::double precision END) STORED;
CREATE INDEX IF NOT EXISTS metric_snapshots_by_commits_90d ON metric_snapshots (commits_90d DESC NULLS LAST);

-- Down Migration
DROP INDEX IF EXISTS repositories_by_stars, repositories_primary_language, repositories_text_search;
-- commits_90d and its index belong to 0006_read_model_owners as well, which drops them; pg_trgm stays, as
-- other objects may use it.

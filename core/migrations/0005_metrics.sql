-- Up Migration

-- Stars, forks and watchers as observed each UTC day (the last observation of the day wins), so gains
-- over a window come from snapshots as docs/METRICS.md says.
CREATE TABLE IF NOT EXISTS repository_counts_daily (
  repository_id bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  day date NOT NULL,
  stars integer,
  forks integer,
  watchers integer,
  observed_at timestamptz NOT NULL,
  PRIMARY KEY (repository_id, day)
);

-- The latest metrics of a repository: one row, replaced by each computation.
CREATE TABLE IF NOT EXISTS metric_snapshots (
  repository_id bigint PRIMARY KEY REFERENCES repositories (id) ON DELETE CASCADE,
  computed_at timestamptz NOT NULL,
  -- { "<metric name>": { "value": number | null, "reason"?: text, "version": int } }
  metrics jsonb NOT NULL,
  -- { "score": 0-100 | null, "components": [...], "renormalised": bool }
  health jsonb NOT NULL,
  health_score double precision,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS metric_snapshots_by_health ON metric_snapshots (health_score DESC NULLS LAST);

-- One point per repository, metric and UTC day: the metric computed at the end of that day.
CREATE TABLE IF NOT EXISTS metric_points (
  repository_id bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  metric text NOT NULL,
  day date NOT NULL,
  value double precision,
  reason text,
  version integer NOT NULL,
  PRIMARY KEY (repository_id, metric, day)
);

-- The earliest day whose facts changed since the metrics were last computed: the series is recomputed
-- from there on (a fact affects the windows of the year after it).
ALTER TABLE repositories
  ADD COLUMN IF NOT EXISTS metrics_dirty_since date,
  ADD COLUMN IF NOT EXISTS metrics_computed_at timestamptz;

-- Down Migration
ALTER TABLE repositories DROP COLUMN IF EXISTS metrics_dirty_since, DROP COLUMN IF EXISTS metrics_computed_at;
DROP TABLE IF EXISTS metric_points, metric_snapshots, repository_counts_daily;

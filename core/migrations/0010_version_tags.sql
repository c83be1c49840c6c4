-- Up Migration

-- A repository's version tags, as the git crawler reads them from its mirror (the tag's own date for an
-- annotated tag, the commit's for a lightweight one). docs/METRICS.md counts releases as "GitHub releases,
-- else version tags": a plain git repository, or a GitHub one that never published a release, has its tags.
CREATE TABLE IF NOT EXISTS version_tags (
  repository_id bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  tag text NOT NULL,
  tagged_at timestamptz NOT NULL,
  PRIMARY KEY (repository_id, tag)
);

-- Down Migration
DROP TABLE IF EXISTS version_tags;

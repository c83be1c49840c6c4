-- Up Migration

-- The hosts suppliers' crawl requests may name (docs/DESIGN.md, "Repositories and sources": suppliers' crawl
-- requests take https URLs of allowed hosts only). Admins keep the list in the admin panel; it starts
-- with the forges the platform knows. Hosts are exact names, lower case, without wildcards.
CREATE TABLE IF NOT EXISTS crawl_host_allowlist (
  host text PRIMARY KEY CHECK (host <> '' AND host = lower(host)),
  added_by text,
  added_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO crawl_host_allowlist (host, added_by)
VALUES ('github.com', 'default'), ('gitlab.com', 'default'), ('codeberg.org', 'default'),
       ('gitea.com', 'default'), ('bitbucket.org', 'default')
ON CONFLICT (host) DO NOTHING;

-- Down Migration
DROP TABLE IF EXISTS crawl_host_allowlist;

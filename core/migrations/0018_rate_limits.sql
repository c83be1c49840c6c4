-- Up Migration

-- Rate-limit windows shared by every permission-proxy replica, in the layout of rate-limiter-flexible's
-- RateLimiterPostgres (which is told the table exists: modules create no schema at run time): the key (ACL
-- rule and caller), the points consumed in its current window and the window's end in epoch milliseconds.
-- UNLOGGED: every limited request writes a row, and counts a few seconds long are not worth WAL; a crash
-- or a failover empties the table, which gives callers full windows once. No index on `expire`: the
-- limiter's cleanup (rows expired over an hour ago, every five minutes) scans a small table, and a second
-- index would stop the per-request updates from being HOT.
CREATE UNLOGGED TABLE IF NOT EXISTS rate_limits (
  key varchar(255) PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);

-- Down Migration
DROP TABLE IF EXISTS rate_limits;

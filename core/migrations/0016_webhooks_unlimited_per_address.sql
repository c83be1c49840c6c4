-- Forge webhooks are never limited per address at the proxy: GitHub delivers from a handful of addresses,
-- a busy organisation bursts far beyond any per-address bucket, and GitHub does not retry a refused
-- delivery, so each 429 would be data lost. The input gateway checks each delivery's signature and
-- refuses only addresses whose deliveries keep failing it. One rule for every forge's webhooks
-- (/ingest/v1/webhooks/github, /gitlab, /gitea). Changed only where admins left the seeded rule as it was.
UPDATE acl_rules
SET path_pattern = '/ingest/v1/webhooks/*',
    rate_limit_per_minute = NULL,
    rate_limit_burst = NULL,
    description = 'forge webhooks: the input gateway checks each signature; never limited per address',
    updated_at = now()
WHERE acl_rules.priority = 40
  AND acl_rules.path_pattern = '/ingest/v1/webhooks/github'
  AND acl_rules.methods = '{POST}'
  AND acl_rules.rate_limit_per_minute = 1200
  AND acl_rules.rate_limit_burst = 200;

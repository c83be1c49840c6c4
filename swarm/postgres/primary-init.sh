#!/usr/bin/env bash
# The primary's one-time set-up, run by the official image's initdb hook (/docker-entrypoint-initdb.d)
# when it initialises an empty data directory, and never again.
# - the application's role owns its database but is no superuser (pg_trgm, the one extension the
#   migrations create, is a trusted extension a database owner may create);
# - the replica streams as `replicator` through the physical slot `replica_1`, so the primary keeps the
#   WAL the replica has not received yet (bounded by max_slot_wal_keep_size in stack.yml).
set -euo pipefail

app_password="$(</run/secrets/postgres_app_password)"
replication_password="$(</run/secrets/postgres_replication_password)"

# psql's :'name' quotes the value as a literal, so a password never needs escaping here.
psql --set ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  --set app_password="$app_password" --set replication_password="$replication_password" <<'SQL'
CREATE ROLE repopulse LOGIN PASSWORD :'app_password';
CREATE DATABASE repopulse OWNER repopulse;
CREATE ROLE replicator LOGIN REPLICATION PASSWORD :'replication_password';
SELECT pg_create_physical_replication_slot('replica_1');
SQL

# `all` in the database column does not match replication connections: they need a line of their own.
echo 'host replication replicator all scram-sha-256' >>"$PGDATA/pg_hba.conf"

#!/usr/bin/env bash
# The read replica's entrypoint: on an empty data directory, clone the primary with pg_basebackup once,
# then start as a hot standby through the official image's own entrypoint (which, finding a data
# directory, skips initdb and drops to the postgres user).
set -euo pipefail

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  install -d -o postgres -g postgres -m 0700 "$PGDATA"
  PGPASSWORD="$(</run/secrets/postgres_replication_password)"
  export PGPASSWORD
  until gosu postgres pg_isready --quiet --host postgres-primary --port 5432 --username replicator --dbname postgres; do
    echo 'replica: waiting for postgres-primary'
    sleep 2
  done
  # --write-recovery-conf leaves standby.signal and primary_conninfo (with this password, on the
  # replica's own volume, which holds a copy of all the data anyway); --slot streams through the slot
  # the primary created for this replica.
  gosu postgres pg_basebackup --host postgres-primary --port 5432 --username replicator \
    --pgdata "$PGDATA" --wal-method stream --slot replica_1 --write-recovery-conf --checkpoint fast
  unset PGPASSWORD
fi

exec docker-entrypoint.sh "$@"

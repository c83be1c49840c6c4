#!/usr/bin/env bash
# Makes sure PostgreSQL and RabbitMQ answer on this machine, starting them when they do not, and waits
# (up to SERVICE_START_TIMEOUT_SECONDS, default 60) until both answer. Used by start.sh and test.sh.
set -euo pipefail

readonly timeout_seconds="${SERVICE_START_TIMEOUT_SECONDS:-60}"

postgres_answers() {
  pg_isready -q -h 127.0.0.1 -p 5432
}

start_postgres() {
  # The newest installed cluster, if several versions sit side by side.
  local version
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
}

rabbitmq_answers() {
  rabbitmq-diagnostics -q ping >/dev/null 2>&1
}

start_rabbitmq() {
  rabbitmq-server -detached
}

require_command() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "ensure-services: '$1' is not installed; install $2 or point the platform at a running one" >&2
    exit 1
  fi
}

wait_until_answers() {
  local name=$1 check=$2
  local deadline=$((SECONDS + timeout_seconds))
  until "$check"; do
    if ((SECONDS >= deadline)); then
      echo "ensure-services: $name did not answer within ${timeout_seconds}s" >&2
      return 1
    fi
    sleep 1
  done
}

# Starts a service that does not answer, then waits for it. A failed start is not fatal by itself: the
# service may have been starting already, so the wait decides.
ensure_service() {
  local name=$1 check=$2 start=$3
  if "$check"; then
    echo "ensure-services: $name answers"
    return 0
  fi
  echo "ensure-services: starting $name"
  "$start" || echo "ensure-services: starting $name reported an error; waiting for it anyway" >&2
  wait_until_answers "$name" "$check"
  echo "ensure-services: $name answers"
}

require_command pg_isready PostgreSQL
require_command rabbitmq-diagnostics RabbitMQ
ensure_service PostgreSQL postgres_answers start_postgres
ensure_service RabbitMQ rabbitmq_answers start_rabbitmq

# The admin panel reads queue rates from RabbitMQ's management API (it falls back to depth and consumers
# over AMQP without it). The plugin ships with RabbitMQ: enabling it needs no download.
if command -v rabbitmq-plugins >/dev/null 2>&1; then
  if ! rabbitmq-plugins list -e -m 2>/dev/null | grep -qx rabbitmq_management; then
    echo "ensure-services: enabling RabbitMQ's management plugin"
    rabbitmq-plugins enable rabbitmq_management >/dev/null || echo "ensure-services: could not enable rabbitmq_management; queue rates will be missing" >&2
  fi
fi

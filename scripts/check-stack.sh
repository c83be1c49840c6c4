#!/usr/bin/env bash
# Validates swarm/stack.yml without a Docker engine: `docker stack config` (Docker CLI 23+, which loads the
# file with the stack loader, checks it against the compose schema and interpolates it) accepts it. Where
# the CLI lacks `stack config` (Debian bookworm's docker.io is 20.10, which has no such command), falls
# back to Debian's docker-compose (1.29), whose `config` checks the same file against the compose schema.
# Installs that fallback with apt-get only when it is missing. Exits non-zero when the file is refused.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly stack_file=swarm/stack.yml
# The variables stack.yml requires at deploy time; sample values are enough to check the file.
export REPOPULSE_VERSION="${REPOPULSE_VERSION:-0.0.0-check}"
export REPOPULSE_DOMAIN="${REPOPULSE_DOMAIN:-repopulse.example}"

docker_has_stack_config() {
  command -v docker >/dev/null 2>&1 && docker stack --help 2>/dev/null | grep -qE '^\s+config\s'
}

if docker_has_stack_config; then
  echo "check-stack: docker stack config -c ${stack_file} ($(docker --version))"
  docker stack config -c "$stack_file" >/dev/null
else
  if ! command -v docker-compose >/dev/null 2>&1; then
    echo 'check-stack: no Docker CLI with `stack config`; installing Debian docker-compose' >&2
    # A machine whose package lists are stale needs them refreshed first.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker-compose >/dev/null ||
      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker-compose >/dev/null; }
  fi
  echo "check-stack: docker-compose -f ${stack_file} config ($(docker-compose version --short))"
  # compose warns that Swarm-only keys (configs) are ignored when running; for a check that is expected.
  docker-compose -f "$stack_file" config -q 2> >(grep -v "use the 'configs' key, which will be ignored" >&2)
fi
echo "check-stack: ${stack_file} is valid"

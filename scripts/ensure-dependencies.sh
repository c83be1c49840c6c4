#!/usr/bin/env bash
# Installs the npm dependencies from package-lock.json when node_modules is missing or older than the
# lock file, and always in CI (CI=true), where the install must match the lock file exactly.
set -euo pipefail
cd "$(dirname "$0")/.."

# npm writes node_modules/.package-lock.json on every install: its age is the install's age.
readonly marker=node_modules/.package-lock.json

if [[ "${CI:-}" == "true" ]]; then
  echo "ensure-dependencies: CI run, installing from package-lock.json"
  npm ci
elif [[ ! -f "$marker" || package-lock.json -nt "$marker" ]]; then
  echo "ensure-dependencies: node_modules is missing or older than package-lock.json, installing"
  npm ci
else
  echo "ensure-dependencies: node_modules is up to date"
fi

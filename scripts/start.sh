#!/usr/bin/env bash
# Runs the whole platform on this machine from a fresh clone: `bash scripts/start.sh` or `npm start`.
# Starts PostgreSQL and RabbitMQ if needed, installs, builds, migrates, then supervises every module.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-services.sh
bash scripts/ensure-dependencies.sh
npm run build
npm run migrate
exec node scripts/supervise.mjs

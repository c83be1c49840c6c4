#!/usr/bin/env bash
# The test command: `bash scripts/test.sh` or `npm test` (and .ci/run). Exits non-zero on any failure.
# Arguments are passed to run-tests.mjs, which keeps only the test files whose path contains one of them.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-services.sh
bash scripts/ensure-dependencies.sh
bash scripts/ensure-browser.sh
npm run lint
npm run typecheck
bash scripts/check-stack.sh
npm run build
node scripts/run-tests.mjs "$@"

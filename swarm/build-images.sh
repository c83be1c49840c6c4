#!/usr/bin/env bash
# Builds (and with --push, pushes) every image of the stack from swarm/Dockerfile:
#   bash swarm/build-images.sh registry.example.org/repopulse 1.4.0 [--push]
# The tags are what swarm/stack.yml deploys: ${REPOPULSE_REGISTRY}/<image>:${REPOPULSE_VERSION}.
set -euo pipefail
cd "$(dirname "$0")/.."

registry="${1:?usage: build-images.sh REGISTRY VERSION [--push]}"
version="${2:?usage: build-images.sh REGISTRY VERSION [--push]}"
push="${3:-}"

# image name, module folder, port (docs/DESIGN.md); the migration image is core's.
images=(
  "input-gateway input-gateway 3001"
  "output-gateway output-gateway 3002"
  "admin-panel admin-panel 3003"
  "client-panel client-panel 3004"
  "integration-engine integration-engine 3005"
  "cron cron 3006"
  "permission-proxy permission-proxy 8080"
  "migrate core "
)

for entry in "${images[@]}"; do
  read -r image module port <<<"$entry"
  tag="${registry}/${image}:${version}"
  echo "building ${tag}"
  docker build -f swarm/Dockerfile --build-arg MODULE="$module" --build-arg PORT="${port:-}" -t "$tag" .
  if [ "$push" = --push ]; then docker push "$tag"; fi
done

#!/usr/bin/env bash
# Browser tests drive Debian's Chromium through playwright-core. Installs it when it is missing (the
# machines have Debian's package archive; playwright's own browser download needs the internet).
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
  echo "ensure-browser: chromium is installed"
  exit 0
fi
if [[ $(id -u) -ne 0 ]] && ! command -v sudo >/dev/null 2>&1; then
  echo "ensure-browser: /usr/bin/chromium is missing and this user cannot install it (apt-get install chromium)" >&2
  exit 1
fi
sudo_if_needed=()
[[ $(id -u) -ne 0 ]] && sudo_if_needed=(sudo)
echo "ensure-browser: installing chromium from Debian"
export DEBIAN_FRONTEND=noninteractive
"${sudo_if_needed[@]}" apt-get update -qq
"${sudo_if_needed[@]}" apt-get install -y -qq chromium >/dev/null
echo "ensure-browser: chromium $(/usr/bin/chromium --version 2>/dev/null || echo installed)"

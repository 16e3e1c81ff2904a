#!/usr/bin/env bash
# Debian packages the test suite needs besides the backends: chromium renders the bench report.
# Idempotent: installs only what is missing, and runs `apt-get update` once before installing.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  t=$SECONDS
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  echo "installed ${missing[*]} in $((SECONDS - t)) s"
fi

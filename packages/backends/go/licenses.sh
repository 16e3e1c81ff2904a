#!/usr/bin/env bash
# Prints, as a markdown table, the licence of every module compiled into a wrapper module's binary
# (`go list -deps` of the built package), read from the module's LICENSE/COPYING file in the Go
# module cache. Regenerates the tables of LICENSES.md:
#   bash packages/backends/go/licenses.sh consul github.com/hashicorp/consul
#   bash packages/backends/go/licenses.sh toxiproxy github.com/Shopify/toxiproxy/v2/cmd/server
# Needs the modules downloaded (scripts/install-backends.sh does that; same cache variables).
set -euo pipefail
name="$1" pkg="$2"
cd "$(dirname "${BASH_SOURCE[0]}")/$name"
if [ "$(id -u)" -eq 0 ]; then cache=/var/cache/locksmith; else cache="$HOME/.cache/locksmith"; fi
export PATH="/usr/local/go/bin:$PATH" GOFLAGS=-mod=readonly GOTOOLCHAIN=local CGO_ENABLED=0
export GOMODCACHE="${LOCKSMITH_CACHE_DIR:-$cache}/go/mod" GOCACHE="${LOCKSMITH_CACHE_DIR:-$cache}/go/build"

# The licence named by one LICENSE/COPYING file.
kind() {
  local file="$1"
  if grep -q "Business Source License" "$file"; then echo "BUSL-1.1 (not open source)"
  elif grep -q "Mozilla Public License" "$file"; then echo "MPL-2.0"
  elif grep -q "Apache License" "$file"; then echo "Apache-2.0"
  elif grep -q "Permission is hereby granted, free of charge" "$file"; then echo "MIT"
  elif grep -q "Permission to use, copy, modify, and/or distribute" "$file"; then echo "ISC"
  elif grep -q "Redistribution and use in source and binary forms" "$file"; then
    if grep -qi "neither the name" "$file"; then echo "BSD-3-Clause"; else echo "BSD-2-Clause"; fi
  else echo "other: see $(basename "$file")"; fi
}

# A module's licence: its top-level file, else the files of its directories (some forks keep one per package).
classify() {
  local files
  files=$(find "$1" -maxdepth 1 -type f \( -iname 'LICEN[CS]E*' -o -iname 'COPYING*' \))
  if [ -z "$files" ]; then
    files=$(find "$1" -mindepth 2 -maxdepth 3 -type f \( -iname 'LICEN[CS]E*' -o -iname 'COPYING*' \))
    [ -n "$files" ] || { echo "no licence file"; return; }
    printf '%s\n' "$files" | while read -r f; do kind "$f"; done | sort -u | paste -sd, | sed 's/,/, /g; s/$/ (per directory)/'
    return
  fi
  kind "$(printf '%s\n' "$files" | head -1)"
}

echo "| module | version | licence |"
echo "| --- | --- | --- |"
go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}} {{.Dir}}{{end}}{{end}}' "$pkg" |
  sort -u | while read -r path version dir; do
    echo "| $path | $version | $(classify "$dir") |"
  done

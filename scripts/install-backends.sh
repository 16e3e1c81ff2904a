#!/usr/bin/env bash
# Installs what `pnpm backends up` needs on a Debian machine without Docker.
# Idempotent: installs only what is missing, rebuilds nothing that is cached.
#   etcd, ZooKeeper  -> apt (etcd-server etcd-client zookeeper); their system services are stopped and disabled
#   Consul, Toxiproxy -> built from the Go module proxy (wrapper modules in packages/backends/go/)
#                        into $LOCKSMITH_CACHE_DIR/<name>/<version>/, linked from .../bin
#                        (default /var/cache/locksmith as root, ~/.cache/locksmith otherwise)
# The Go module and build caches (about 4 GB after the Consul build) stay in $LOCKSMITH_CACHE_DIR/go
# so a rebuild is fast; LOCKSMITH_PRUNE_GO_CACHE=1 deletes them once the binaries exist.
# Redis, PostgreSQL, MariaDB and their clients: apt (redis-server postgresql mariadb-server ...) when missing;
# the launcher runs its own instances of them, never the system services.
set -euo pipefail

if [ "$(id -u)" -eq 0 ]; then default_cache=/var/cache/locksmith; else default_cache="$HOME/.cache/locksmith"; fi
CACHE_DIR="${LOCKSMITH_CACHE_DIR:-$default_cache}"
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Versions are pinned by the wrapper modules in packages/backends/go/<name>/go.mod.
CONSUL_VERSION=v1.14.11      # MPL-2.0; needs no envoyextensions/troubleshoot modules
TOXIPROXY_VERSION=v2.12.0
export PATH="/usr/local/go/bin:$PATH"
# Go state of our own, so CI can cache one directory and a cold build can be measured.
export GOMODCACHE="$CACHE_DIR/go/mod" GOCACHE="$CACHE_DIR/go/build" GOFLAGS="-buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=0

total_start=$(date +%s.%N)
apt_updated=0

log() { printf '[install-backends] %s\n' "$*"; }
elapsed() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'; }

# step <label> <function>: runs it and prints how long it took.
step() {
  local label="$1" start
  shift
  start=$(date +%s.%N)
  "$@"
  log "$label: $(elapsed "$start") s"
}

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    log "need root for: apt-get install $* (rerun with sudo)"; exit 1
  fi
  if [ "$apt_updated" -eq 0 ]; then
    apt-get update -qq
    apt_updated=1
  fi
  # policy-rc.d exit 101 keeps the packages' services from starting on our ports' neighbours (2379, 2181).
  local own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    own_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  [ "$own_policy" -eq 1 ] && rm -f /usr/sbin/policy-rc.d
  return 0
}

# Stops and disables a Debian service that would hold a port we do not use (we run our own members).
quiet_service() {
  local svc="$1"
  if [ -x "/etc/init.d/$svc" ] || [ -e "/lib/systemd/system/$svc.service" ]; then
    if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
      systemctl disable --now "$svc" >/dev/null 2>&1 || true
    else
      service "$svc" stop >/dev/null 2>&1 || true
      update-rc.d "$svc" disable >/dev/null 2>&1 || true
    fi
  fi
}

install_etcd() {
  if command -v etcd >/dev/null && command -v etcdctl >/dev/null; then
    log "etcd: present ($(etcd --version | head -1))"
    return
  fi
  apt_install etcd-server etcd-client
  quiet_service etcd
  log "etcd: installed ($(etcd --version | head -1))"
}

install_zookeeper() {
  if [ -f /usr/share/java/zookeeper.jar ]; then
    log "zookeeper: present (/usr/share/java/zookeeper.jar)"
  else
    apt_install zookeeper
    log "zookeeper: installed"
  fi
  quiet_service zookeeper
  command -v java >/dev/null || apt_install default-jre-headless
}

# go_build <name> <version> <module> <package> [ldflags]: builds <package> in the wrapper module
# packages/backends/go/<name> (go.mod + go.sum pin every dependency) into $CACHE_DIR/<name>/<version>/.
go_build() {
  local name="$1" version="$2" module="$3" pkg="$4" ldflags="-s -w ${5:-}"
  local out="$CACHE_DIR/$name/$version/$name" mod="$REPO_DIR/packages/backends/go/$name"
  if [ -x "$out" ]; then
    log "$name: cached ($out)"
  else
    command -v go >/dev/null || { log "$name: Go is missing; install Go >= 1.22 to /usr/local/go (https://go.dev/dl/)"; exit 1; }
    local pinned
    pinned=$(cd "$mod" && go list -mod=readonly -m -f '{{.Version}}' "$module")
    [ "$pinned" = "$version" ] || { log "$name: $mod/go.mod pins $pinned, expected $version"; exit 1; }
    mkdir -p "$(dirname "$out")"
    (cd "$mod" && go build -mod=readonly -trimpath -ldflags "$ldflags" -o "$out.tmp" "$pkg")
    mv "$out.tmp" "$out"
    log "$name: built $version ($out)"
  fi
  mkdir -p "$CACHE_DIR/bin"
  ln -sfn "$out" "$CACHE_DIR/bin/$name"
}

install_consul() {
  # Every module of v1.14.11 has an entry in the checksum database, so no GONOSUMDB is needed.
  go_build consul "$CONSUL_VERSION" github.com/hashicorp/consul github.com/hashicorp/consul
}

install_toxiproxy() {
  go_build toxiproxy "$TOXIPROXY_VERSION" github.com/Shopify/toxiproxy/v2 github.com/Shopify/toxiproxy/v2/cmd/server \
    "-X github.com/Shopify/toxiproxy/v2.Version=${TOXIPROXY_VERSION#v}"
}

check_base() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  [ -x /usr/lib/postgresql/15/bin/initdb ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v mariadb-install-db >/dev/null || missing+=(mariadb-server)
  command -v mariadb >/dev/null || missing+=(mariadb-client)
  command -v psql >/dev/null || missing+=(postgresql-client)
  if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; log "base: installed ${missing[*]}"; else log "base: redis, postgresql, mariadb present"; fi
}

mkdir -p "$CACHE_DIR"
# Not a backend: the bench report test renders index.html in Debian's chromium (playwright-core drives it).
install_chromium() {
  if command -v chromium >/dev/null; then log "chromium: present"; return; fi
  apt_install chromium
  log "chromium: installed"
}

step "base servers" check_base
step "etcd (apt)" install_etcd
step "zookeeper (apt)" install_zookeeper
step "consul $CONSUL_VERSION (go)" install_consul
step "toxiproxy $TOXIPROXY_VERSION (go)" install_toxiproxy
step "chromium (apt)" install_chromium
if [ "${LOCKSMITH_PRUNE_GO_CACHE:-0}" = 1 ] && [ -d "$CACHE_DIR/go" ]; then
  go clean -modcache && rm -rf "$CACHE_DIR/go"
  log "pruned the Go caches in $CACHE_DIR/go"
fi
log "total: $(elapsed "$total_start") s; binaries in $CACHE_DIR/bin"

#!/usr/bin/env bash
# Unpacks Prometheus 3.x + promtool, Alertmanager + amtool, node-exporter and the Elasticsearch exporter
# (its metric names are checked by test/logging) from Debian's archive into
# .tools/ (or $PROM_TOOLS_DIR) for the tests. Nothing is installed on the system: apt runs with a private
# sources list, state and cache. Bookworm ships Prometheus 2.42 only, so the packages come from sid.
#
# Idempotent and safe to run concurrently: does nothing when the binaries are already there; otherwise
# one run at a time (a lock in the destination) unpacks into a scratch folder and copies the result in
# only when every binary is present, so an interrupted run never leaves a half-installed .tools/.
# `npm test` runs this itself (vitest globalSetup, test/helpers/tools.ts); `npm run tools` runs it alone.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${PROM_TOOLS_DIR:-$root/.tools}
mirror=${PROM_TOOLS_MIRROR:-http://deb.debian.org/debian}
packages=(prometheus promtool prometheus-alertmanager prometheus-node-exporter prometheus-elasticsearch-exporter)
bins=(prometheus promtool prometheus-alertmanager amtool prometheus-node-exporter prometheus-elasticsearch-exporter)

fail() {
  echo "install-prometheus-tools: $*" >&2
  exit 1
}

have_all() {
  for b in "${bins[@]}"; do [ -x "$1/usr/bin/$b" ] || return 1; done
}

install_tools() {
  for cmd in apt-get dpkg-deb; do
    command -v "$cmd" >/dev/null ||
      fail "'$cmd' not found: the tools come from Debian's archive and need a Debian or Ubuntu machine" \
        "(or set PROM_TOOLS_DIR to a folder holding usr/bin/{${bins[*]}})"
  done
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  [ -r "$keyring" ] || fail "$keyring is missing: install the debian-archive-keyring package"

  local work
  work=$(mktemp -d)
  # shellcheck disable=SC2064 # expand now: $work is local
  trap "rm -rf '$work'" EXIT
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/root"
  echo "deb [signed-by=$keyring] $mirror sid main" >"$work/sources.list"
  local apt_opts=(-o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=-"
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o "APT::Sandbox::User=root"
    -o "Acquire::Retries=3" -o "Acquire::http::Timeout=30")

  echo "install-prometheus-tools: downloading ${packages[*]} from $mirror (sid) into $dest" >&2
  # apt-get update only warns when an index cannot be fetched; an empty list is the real sign.
  if ! apt-get "${apt_opts[@]}" update -qq >"$work/update.log" 2>&1 ||
    ! compgen -G "$work/lists/*Packages*" >/dev/null; then
    cat "$work/update.log" >&2
    fail "could not read the package index of $mirror (sid): is Debian's archive reachable from here?" \
      "Retry, set PROM_TOOLS_MIRROR to a reachable Debian mirror, or set PROM_TOOLS_DIR to a folder" \
      "that already holds usr/bin/{${bins[*]}}."
  fi
  if ! (cd "$work" && apt-get "${apt_opts[@]}" download "${packages[@]}") >"$work/download.log" 2>&1; then
    cat "$work/download.log" >&2
    fail "could not download ${packages[*]} from $mirror (sid)"
  fi
  for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
  have_all "$work/root" || fail "the downloaded packages lack one of: ${bins[*]}"
  cp -a "$work/root/." "$dest/"
}

mkdir -p "$dest"
if ! have_all "$dest"; then
  if command -v flock >/dev/null; then
    exec 9>"$dest/.install.lock"
    flock 9
  fi
  # Another run may have finished while this one waited for the lock.
  have_all "$dest" || install_tools
fi

for b in prometheus prometheus-alertmanager prometheus-node-exporter prometheus-elasticsearch-exporter; do
  "$dest/usr/bin/$b" --version 2>&1 | head -n 1
done

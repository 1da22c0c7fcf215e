#!/usr/bin/env bash
# Unpacks Prometheus 3.x + promtool, Alertmanager + amtool and node-exporter from Debian's archive into
# .tools/ (or $PROM_TOOLS_DIR) for the tests. Nothing is installed on the system: apt runs with a private
# sources list, state and cache. Bookworm ships Prometheus 2.42 only, so the packages come from sid.
# Idempotent: does nothing when the binaries are already there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${PROM_TOOLS_DIR:-$root/.tools}
bins=(prometheus promtool prometheus-alertmanager amtool prometheus-node-exporter)

have_all() {
  for b in "${bins[@]}"; do [ -x "$dest/usr/bin/$b" ] || return 1; done
}

if ! have_all; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$dest"
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  echo "deb [signed-by=$keyring] http://deb.debian.org/debian sid main" >"$work/sources.list"
  apt_opts=(-o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=-"
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o "APT::Sandbox::User=root")
  apt-get "${apt_opts[@]}" update -qq
  (cd "$work" && apt-get "${apt_opts[@]}" download prometheus promtool prometheus-alertmanager prometheus-node-exporter)
  for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$dest"; done
fi

for b in prometheus prometheus-alertmanager prometheus-node-exporter; do
  "$dest/usr/bin/$b" --version 2>&1 | head -n 1
done

#!/usr/bin/env bash
# Unpacks Prometheus 3.x + promtool, Alertmanager + amtool, node-exporter and the Elasticsearch exporter
# from Debian's archive into .tools/ (or $PROM_TOOLS_DIR) for the tests. Nothing is installed on the
# system: apt runs with a private sources list, state and cache. Bookworm ships Prometheus 2.42 only, so
# the packages come from sid.
# Idempotent: downloads only the packages whose binaries are not there yet.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${PROM_TOOLS_DIR:-$root/.tools}
# binary:package
tools=(prometheus:prometheus promtool:promtool prometheus-alertmanager:prometheus-alertmanager
  amtool:prometheus-alertmanager prometheus-node-exporter:prometheus-node-exporter
  prometheus-elasticsearch-exporter:prometheus-elasticsearch-exporter)

missing=()
for t in "${tools[@]}"; do
  bin=${t%%:*} pkg=${t#*:}
  if [ ! -x "$dest/usr/bin/$bin" ] && [[ " ${missing[*]} " != *" $pkg "* ]]; then missing+=("$pkg"); fi
done

if [ ${#missing[@]} -gt 0 ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$dest"
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  echo "deb [signed-by=$keyring] http://deb.debian.org/debian sid main" >"$work/sources.list"
  apt_opts=(-o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=-"
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o "APT::Sandbox::User=root")
  apt-get "${apt_opts[@]}" update -qq
  (cd "$work" && apt-get "${apt_opts[@]}" download "${missing[@]}")
  for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$dest"; done
fi

for b in prometheus prometheus-alertmanager prometheus-node-exporter prometheus-elasticsearch-exporter; do
  "$dest/usr/bin/$b" --version 2>&1 | head -n 1
done

#!/usr/bin/env bash
# Unpacks what the service packs' live test (test/packs/live.test.ts) needs besides the Prometheus
# tools (scripts/install-prometheus-tools.sh): redis_exporter and postgres_exporter from sid (Go
# binaries, the versions the packs' images pin); redis-server and its two libraries from bookworm,
# whose C libraries match this machine's (sid's redis needs a newer glibc); PostgreSQL is used from the
# system when one is installed and otherwise unpacked from bookworm with the libraries the system lacks.
# Nothing is installed on the system. Idempotent: each group is skipped when its binaries are there.
# `npm test` runs it (vitest globalSetup, test/helpers/tools.ts) after the Prometheus tools.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${PROM_TOOLS_DIR:-$root/.tools}
mkdir -p "$dest"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

# apt-get or apt-cache with a private sources list, state and cache per suite; the index is fetched
# on first use.
apt_for() {
  local suite=$1 tool=$2
  shift 2
  local d="$work/$suite"
  if [ ! -d "$d" ]; then
    mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
    case $suite in
    sid) echo "deb [signed-by=$keyring] ${PROM_TOOLS_MIRROR:-http://deb.debian.org/debian} sid main" >"$d/sources.list" ;;
    bookworm)
      {
        echo "deb [signed-by=$keyring] http://deb.debian.org/debian bookworm main"
        echo "deb [signed-by=$keyring] http://deb.debian.org/debian bookworm-updates main"
        echo "deb [signed-by=$keyring] http://deb.debian.org/debian-security bookworm-security main"
      } >"$d/sources.list"
      ;;
    esac
    apt-get -o "Dir::Etc::sourcelist=$d/sources.list" -o "Dir::Etc::sourceparts=-" \
      -o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache" -o "APT::Sandbox::User=root" update -qq
  fi
  "$tool" -o "Dir::Etc::sourcelist=$d/sources.list" -o "Dir::Etc::sourceparts=-" \
    -o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache" -o "APT::Sandbox::User=root" "$@"
}

# Downloads packages of a suite and unpacks them into $dest.
unpack() {
  local suite=$1
  shift
  local dl="$work/debs-$suite-$RANDOM"
  mkdir -p "$dl"
  (cd "$dl" && apt_for "$suite" apt-get download "$@")
  for deb in "$dl"/*.deb; do dpkg-deb -x "$deb" "$dest"; done
}

have() {
  for b in "$@"; do [ -x "$dest/usr/bin/$b" ] || return 1; done
}

# The packs' database exporters.
have prometheus-redis-exporter prometheus-postgres-exporter ||
  unpack sid prometheus-redis-exporter prometheus-postgres-exporter

# Redis (redis-server is a link to redis-check-rdb in redis-tools) and the libraries it links.
[ -x "$dest/usr/bin/redis-check-rdb" ] && [ -e "$dest/usr/lib/x86_64-linux-gnu/liblzf.so.1" ] &&
  [ -e "$dest/usr/lib/x86_64-linux-gnu/libjemalloc.so.2" ] ||
  unpack bookworm redis-server redis-tools liblzf1 libjemalloc2

# PostgreSQL: the system's when there is one, else bookworm's server with the libraries not installed.
if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null &&
  ! compgen -G "$dest/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
  # The server package itself, and those of its direct library dependencies this system lacks.
  missing=(postgresql-15)
  for p in $(apt_for bookworm apt-cache depends --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances postgresql-15 | sed -n 's/^ *Depends: \(lib[^ ]*\)$/\1/p' | sort -u); do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  unpack bookworm "${missing[@]}"
fi

"$dest/usr/bin/prometheus-postgres-exporter" --version 2>&1 | head -n 1
"$dest/usr/bin/prometheus-redis-exporter" --version 2>&1 | head -n 1
LD_LIBRARY_PATH="$dest/usr/lib/x86_64-linux-gnu" "$dest/usr/bin/redis-server" --version

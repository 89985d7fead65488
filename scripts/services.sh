#!/usr/bin/env bash
# Start (or stop) throwaway PostgreSQL and Redis servers for the test suite, without systemd.
# Usage: scripts/services.sh start   -> prints `export ...` lines for the test URLs
#        scripts/services.sh stop
# Installs the Debian packages when they are missing (needs root or sudo).
set -euo pipefail

PG_PORT="${AROGYA_PG_PORT:-54329}"
REDIS_PORT="${AROGYA_REDIS_PORT:-63799}"
# per port pair, so two checkouts (or CI beside a developer) never stop each other's servers
STATE_DIR="${AROGYA_SERVICES_DIR:-${TMPDIR:-/tmp}/arogya-services-$PG_PORT-$REDIS_PORT}"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to install $*" >&2; return 1; fi
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

ensure_packages() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  [ -n "$(pg_bin)" ] || missing+=(postgresql)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}" >&2
    as_root apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >&2
  fi
}

# Run a command as the postgres user when we are root (initdb refuses to run as root).
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  ensure_packages
  stop_quietly
  mkdir -p "$STATE_DIR"
  chmod 755 "$STATE_DIR"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize yes --pidfile "$STATE_DIR/redis.pid" --logfile "$STATE_DIR/redis.log" >&2
  local bin; bin="$(pg_bin)"
  local data="$STATE_DIR/pgdata"
  rm -rf "$data"; mkdir -p "$data"
  [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$STATE_DIR"
  as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_pg "$bin/pg_ctl" -D "$data" -l "$STATE_DIR/pg.log" -w -t 30 \
    -o "-p $PG_PORT -k $STATE_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >&2
  for _ in $(seq 1 50); do
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1
  done
  echo "export AROGYA_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  echo "export AROGYA_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
}

stop_quietly() {
  if [ -f "$STATE_DIR/redis.pid" ]; then kill "$(cat "$STATE_DIR/redis.pid")" 2>/dev/null || true; rm -f "$STATE_DIR/redis.pid"; fi
  if [ -d "$STATE_DIR/pgdata" ] && [ -n "$(pg_bin)" ]; then
    as_pg "$(pg_bin)/pg_ctl" -D "$STATE_DIR/pgdata" -m immediate stop >/dev/null 2>&1 || true
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop_quietly; rm -rf "$STATE_DIR" ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Starts a throwaway local PostgreSQL for the tests and benches: installs Debian's package if missing, creates a
# cluster in a temporary directory (trust auth, 127.0.0.1 only) and prints its connection string on the last line.
# Usage: eval "$(bash tests/postgres/start.sh --env)"  sets AMPCMS_TEST_POSTGRES and AMPCMS_TEST_POSTGRES_DIR;
#        bash tests/postgres/stop.sh "$AMPCMS_TEST_POSTGRES_DIR"  stops it and removes the directory.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ]; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; } >&2 \
    || { echo "could not install postgresql (apt)" >&2; exit 1; }
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
# initdb refuses to run as root: run the server as the package's postgres user then.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
dir=$(mktemp -d /tmp/ampcms-pg.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres "$dir"
as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
# Below the kernel's ephemeral range (32768+), so an outgoing connection's local port cannot hold it; a port taken
# anyway (another cluster, a test server) makes the start fail, and the next port is tried.
port=${AMPCMS_PG_PORT:-25432}
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  # Tests create a database per host; fsync off because the cluster is thrown away after the run.
  if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
      -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=400" start >/dev/null; then
    break
  fi
  [ "$attempt" = 10 ] && { echo "could not start postgresql (see $dir/log)" >&2; exit 1; }
  port=$((port + 1))
done
conn="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
if [ "${1:-}" = "--env" ]; then
  echo "export AMPCMS_TEST_POSTGRES='$conn' AMPCMS_TEST_POSTGRES_DIR='$dir'"
else
  echo "$dir"
  echo "$conn"
fi

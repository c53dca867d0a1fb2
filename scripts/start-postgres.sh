#!/usr/bin/env bash
# Start a local PostgreSQL for the evidence store's test suite (idempotent).
#
# Installs Debian's PostgreSQL when it is missing, starts a cluster listening on
# 127.0.0.1 (port 5432, or PGPORT), creates the role "kizashi" and the database
# "kizashi_test", and prints the SQLAlchemy URL on its last line:
#
#   export KIZASHI_TEST_PG_URL=$(scripts/start-postgres.sh | tail -n1)
#
# Needs root (apt-get, su postgres).
set -euo pipefail

PORT="${PGPORT:-5432}"
ROLE="kizashi"
PASSWORD="${KIZASHI_PG_PASSWORD:-kizashi}"
DATABASE="kizashi_test"

log() { echo "start-postgres: $*" >&2; }

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    log "installing PostgreSQL"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
fi

VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n1)"
CLUSTER="main"

if ! pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {found=1} END {exit !found}'; then
    log "creating cluster $VERSION/$CLUSTER on port $PORT"
    pg_createcluster --port "$PORT" "$VERSION" "$CLUSTER" >&2
fi

# Use the cluster's configured port (it may differ from PORT when the cluster existed).
PORT="$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {print $3}')"
STATUS="$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {print $4}')"

if [ "$STATUS" != "online" ]; then
    if command -v ss >/dev/null 2>&1 && ss -ltn "( sport = :$PORT )" | grep -q LISTEN; then
        NEW_PORT=$((PORT + 1))
        while ss -ltn "( sport = :$NEW_PORT )" | grep -q LISTEN; do NEW_PORT=$((NEW_PORT + 1)); done
        log "port $PORT is taken; moving the cluster to $NEW_PORT"
        PORT="$NEW_PORT"
    fi
    # Debian's postgresql.conf includes conf.d/; later settings win.
    CONF_DIR="/etc/postgresql/$VERSION/$CLUSTER/conf.d"
    mkdir -p "$CONF_DIR"
    printf "listen_addresses = '127.0.0.1'\nport = %s\n" "$PORT" > "$CONF_DIR/kizashi.conf"
    log "starting cluster $VERSION/$CLUSTER"
    pg_ctlcluster "$VERSION" "$CLUSTER" start >&2
fi

for _ in $(seq 1 30); do
    if su postgres -c "pg_isready -q -h 127.0.0.1 -p $PORT"; then break; fi
    sleep 1
done
su postgres -c "pg_isready -h 127.0.0.1 -p $PORT" >&2

psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -qAt -p $PORT -c \"$1\""; }

if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]; then
    log "creating role $ROLE"
    psql_admin "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'" >&2
fi
if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != "1" ]; then
    log "creating database $DATABASE"
    psql_admin "CREATE DATABASE $DATABASE OWNER $ROLE" >&2
fi

echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DATABASE"

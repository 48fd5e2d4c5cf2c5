#!/usr/bin/env bash
# A real streaming replica of the local PostgreSQL: a second Debian cluster ("replica",
# port 5433) made with pg_basebackup from the primary (port 5432), read-only, replaying
# the primary's WAL as it is written. Run as root; idempotent (a running replica is left
# as it is, a stopped one is started). The primary gets one pg_hba.conf line letting
# 127.0.0.1 connect for replication (wal_level=replica and max_wal_senders=10 are
# PostgreSQL 15's defaults). Then:
#   DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/<the primary's database name>
set -euo pipefail

VERSION="${PG_VERSION:-$(ls /etc/postgresql | sort -V | tail -1)}"
PRIMARY_CLUSTER="${PRIMARY_CLUSTER:-main}"
PRIMARY_PORT="${PRIMARY_PORT:-5432}"
NAME="${REPLICA_CLUSTER:-replica}"
PORT="${REPLICA_PORT:-5433}"
DATA="/var/lib/postgresql/$VERSION/$NAME"
CONF="/etc/postgresql/$VERSION/$NAME"
PRIMARY_HBA="/etc/postgresql/$VERSION/$PRIMARY_CLUSTER/pg_hba.conf"
HBA_LINE="host replication all 127.0.0.1/32 trust"

as_postgres() { runuser -u postgres -- "$@"; }
sql() { psql -h 127.0.0.1 -p "$1" -U postgres -AtXqc "$2"; }

wait_ready() {
  for _ in $(seq 60); do pg_isready -q -h 127.0.0.1 -p "$1" && return 0; sleep 0.5; done
  echo "PostgreSQL on port $1 does not answer" >&2; return 1
}

wait_ready "$PRIMARY_PORT"
if [ "$(sql "$PRIMARY_PORT" 'show wal_level')" = minimal ]; then
  echo "The primary has wal_level=minimal: set wal_level=replica and restart it" >&2; exit 1
fi
if ! grep -qxF "$HBA_LINE" "$PRIMARY_HBA"; then
  printf '# streaming replica on this machine (forum/deploy/replica.sh)\n%s\n' "$HBA_LINE" >> "$PRIMARY_HBA"
  sql "$PRIMARY_PORT" 'select pg_reload_conf()' >/dev/null
fi

if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -qxF "$VERSION $NAME"; then
  echo "Creating cluster $VERSION/$NAME on port $PORT"
  pg_createcluster "$VERSION" "$NAME" -p "$PORT" >/dev/null
  cat > "$CONF/pg_hba.conf" <<HBA
local all all trust
host all all 127.0.0.1/32 trust
host all all ::1/128 trust
HBA
  # Ask the primary to keep rows a replica query still reads (fewer cancelled queries).
  pg_conftool "$VERSION" "$NAME" set hot_standby_feedback on
fi

copy_primary() {
  echo "Copying port $PRIMARY_PORT into $DATA with pg_basebackup"
  pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$NAME" stop 2>/dev/null || true
  install -d -o postgres -g postgres -m 700 "$DATA"
  find "$DATA" -mindepth 1 -delete
  as_postgres pg_basebackup -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DATA" \
    --write-recovery-conf --wal-method=stream --checkpoint=fast
}

start_replica() {
  if ! pg_isready -q -h 127.0.0.1 -p "$PORT"; then
    pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$NAME" start
  fi
  wait_ready "$PORT"
  if [ "$(sql "$PORT" 'select pg_is_in_recovery()')" != t ]; then
    echo "The cluster on port $PORT is not a replica (pg_is_in_recovery is false)" >&2; exit 1
  fi
  if [ "$(sql "$PORT" 'select pg_is_wal_replay_paused()')" = t ]; then
    sql "$PORT" 'select pg_wal_replay_resume()' >/dev/null  # a test run stopped half-way
  fi
}

# Whether the replica replays up to where the primary is now, within 20 seconds.
catches_up() {
  local target
  target="$(sql "$PRIMARY_PORT" 'select pg_current_wal_lsn()')"
  for _ in $(seq 40); do
    [ "$(sql "$PORT" "select coalesce(pg_last_wal_replay_lsn() >= '$target', false)")" = t ] \
      && return 0
    sleep 0.5
  done
  return 1
}

# Not yet a copy of the primary (just created, or a copy that stopped half-way): copy it.
if [ ! -f "$DATA/standby.signal" ]; then
  copy_primary
fi
start_replica
# A replica that was stopped while the primary wrote on can find the WAL it needs already
# recycled (no replication slot holds it, so a forgotten replica never fills the disk):
# it then never catches up, and the only cure is a fresh copy.
if ! catches_up; then
  echo "The replica on port $PORT does not catch up with the primary: copying it afresh"
  copy_primary
  start_replica
  if ! catches_up; then
    echo "The fresh replica on port $PORT does not catch up either" >&2; exit 1
  fi
fi
echo "Streaming replica of port $PRIMARY_PORT on 127.0.0.1:$PORT ($(sql "$PRIMARY_PORT" \
  "select state from pg_stat_replication where application_name = '$VERSION/$NAME' limit 1" || true))"

#!/usr/bin/env bash
# Kent: install everything a fresh machine needs, idempotently.
#   apt packages, PostgreSQL running with PostGIS, the `kent` role and database,
#   Mosquitto running, the Python 3.12 venv with pinned requirements, npm assets, migrations.
# Re-running skips what is already done.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=${KENT_VENV:-$ROOT/.venv}
log() { printf '[setup] %s\n' "$*"; }

# ---- apt ------------------------------------------------------------------------------------
APT_PKGS=(postgresql-15-postgis-3 gdal-bin libgdal-dev libpq-dev mosquitto chromium
          fonts-dejavu-core poppler-utils gettext wrk)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# ---- PostgreSQL -----------------------------------------------------------------------------
PGVER=$(ls /etc/postgresql | sort -V | tail -n1)
if ! pg_lsclusters -h | awk -v v="$PGVER" '$1==v && $2=="main"' | grep -q online; then
  log "starting PostgreSQL $PGVER"
  pg_ctlcluster --skip-systemctl-redirect "$PGVER" main start
fi
psql_su() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "psql -v ON_ERROR_STOP=1 -qAt $*"; else psql -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; fi; }
DB=${KENT_DB_NAME:-kent}
if [ "$(psql_su "-c \"SELECT 1 FROM pg_roles WHERE rolname='kent'\"")" != "1" ]; then
  log "creating role kent"
  psql_su "-c \"CREATE ROLE kent LOGIN PASSWORD 'kent' CREATEDB\""
fi
# Extensions live in template1 too, so test and restore databases have them without superuser.
for d in template1 "$DB"; do
  if [ "$d" = "$DB" ] && [ "$(psql_su "-c \"SELECT 1 FROM pg_database WHERE datname='$DB'\"")" != "1" ]; then
    log "creating database $DB"
    psql_su "-c \"CREATE DATABASE $DB OWNER kent\""
  fi
  psql_su "-d $d -c \"CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE EXTENSION IF NOT EXISTS unaccent;\"" 2>/dev/null
done

# ---- Mosquitto ------------------------------------------------------------------------------
# Its state (sessions, queued readings) lives outside /tmp, owned by the mosquitto user it runs as,
# so a broker restart loses nothing (scripts/mosquitto-conf.sh says why).
MQ_DIR=${KENT_MOSQUITTO_DIR:-/var/lib/kent-mosquitto}
if ! (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; then
  log "starting mosquitto with Kent's own config ($MQ_DIR)"
  MQ_SUDO=""; [ "$(id -u)" -ne 0 ] && MQ_SUDO=sudo   # started as root, it drops to its own user
  $MQ_SUDO mosquitto -d -c "$(bash scripts/mosquitto-conf.sh "$MQ_DIR" 1883)"
fi

# ---- Python venv ----------------------------------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
  PY=""
  if command -v pyenv >/dev/null 2>&1; then
    PY=$(ls -d "$(pyenv root)"/versions/3.12*/bin/python3.12 2>/dev/null | sort -V | tail -n1 || true)
  fi
  [ -z "$PY" ] && PY=$(command -v python3.12 || true)
  [ -n "$PY" ] || { echo "Python 3.12 not found" >&2; exit 1; }
  log "creating venv with $PY"
  "$PY" -m venv "$VENV"
fi
REQ_STAMP="$VENV/.requirements.sha"
if [ ! -f "$REQ_STAMP" ] || [ "$(cat requirements.txt requirements-nodeps.txt | sha256sum | cut -d' ' -f1)" != "$(cat "$REQ_STAMP")" ]; then
  log "pip: installing requirements.txt"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r requirements.txt
  # pycsw's declared OWSLib pin conflicts with ours (see requirements-nodeps.txt)
  "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps -r requirements-nodeps.txt
  cat requirements.txt requirements-nodeps.txt | sha256sum | cut -d' ' -f1 > "$REQ_STAMP"
fi

# ---- npm assets -----------------------------------------------------------------------------
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm: installing front-end assets"
  npm ci --no-audit --no-fund --loglevel=error
fi

# ---- translations and database schema --------------------------------------------------------
if [ -d locale ]; then
  for po in locale/*/LC_MESSAGES/*.po; do
    mo=${po%.po}.mo
    [ -f "$mo" ] && [ "$mo" -nt "$po" ] || "$VENV/bin/python" manage.py compilemessages -v 0 --ignore=.venv --ignore=node_modules
  done
fi
"$VENV/bin/python" manage.py migrate --noinput -v 0
log "ready"

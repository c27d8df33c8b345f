#!/usr/bin/env bash
# Build the demo district (generated, or from an OSM export given as $1) and serve Kent on
# http://127.0.0.1:8000 with gunicorn until Ctrl-C; the MQTT ingest worker and the feed simulator
# run beside it so the smart-city layers live, and the job worker and scheduler for background jobs.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
if [ -n "${1:-}" ]; then
  $PY manage.py import_osm "$1" --replace
else
  $PY manage.py build_demo --replace
fi
$PY manage.py ensure_demo_users
$PY manage.py collectstatic --noinput -v 0

pids=()
cleanup() { [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
$PY manage.py ingest_mqtt & pids+=($!)
$PY manage.py simulate_feeds --rate 50 --time-scale 60 & pids+=($!)
$PY manage.py db_worker --no-reload & pids+=($!)       # background jobs (imports, exports, backups, …)
$PY manage.py run_schedule & pids+=($!)                # enqueues the periodic jobs when due

echo "Kent: http://127.0.0.1:8000/  (editor: /editor/, city guide: /rehber/, users: editor/editor, admin/admin)"
.venv/bin/gunicorn kent.wsgi --bind 127.0.0.1:8000 --workers 2 --timeout 120 --no-control-socket

#!/usr/bin/env bash
# Build the demo district (generated, or from an OSM export given as $1) and serve Kent on
# http://127.0.0.1:8000 with gunicorn until Ctrl-C.
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
echo "Kent: http://127.0.0.1:8000/  (editor: /editor/, users: editor/editor, admin/admin)"
exec .venv/bin/gunicorn kent.wsgi --bind 127.0.0.1:8000 --workers 2 --timeout 120 --no-control-socket

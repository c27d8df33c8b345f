"""Benchmark: Kent's OGC API Features items (limit 1,000, unfiltered and bbox) and single items
against the raw SQL floor and, when they run, MapServer 8 and stock pygeoapi (../shared/peers).

    .venv/bin/python bench/ogc_items.py [--reps 20] [--fresh] [--no-peers] [--throughput]

1. A database of its own (KENT_BENCH_DB, default bench_kent_ogc; kept between runs, --fresh
   rebuilds it) gets the peer benchmark's data: the OSM buildings of ../shared/data (ogr2ogr,
   `building IS NOT NULL`, the peers' six columns) imported with `manage.py import_layer` into the
   feature-store layer `binalar` (ids 1..1,461, as the peers' ogc_fid), and the 200,157-row
   `buildings_big` grid of copies (same offsets as peers/setup.sh) written into the typed table
   numarataj_yapi as layer `binalar-buyuk` (ids = the peers' ogc_fid), so both of Kent's
   provider kinds are measured. `jit = off` and `statement_timeout = 30s` as on the peers' DB.
2. gunicorn with 2 workers serves Kent on 127.0.0.1:8010 against that database.
3. Kent's own floor: views bench_buildings / bench_buildings_big expose Kent's tables in the
   shape the peers' raw floor reads (ogc_fid, columns, geom), so ../shared/peers/bench.py times the
   same raw SQL on Kent's storage (`kentraw`) next to raw, mapserver, pygeoapi and kent, in one
   interleaved run. Without the peers (or with --no-peers) the bench times kent and kentraw itself.
Not a test: it prints figures."""

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
OSM = SHARED / "data" / "ankara-bahcelievler.osm"
PEERS = SHARED / "peers"
PEERS_PY = Path("/tmp/peers/venv/bin/python")
RESULTS = Path("/tmp/kent-bench-ogc")
DB = os.environ.get("KENT_BENCH_DB", "bench_kent_ogc")
PORT = 8010
COPIES = 137
BBOX = (32.812, 39.926, 32.825, 39.934)
COLUMNS = ["osm_id", "osm_way_id", "name", "building", "amenity", "other_tags"]

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kent.settings")
os.environ["KENT_TEST_DB"] = DB

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases  # noqa: E402

from geo.models import Layer  # noqa: E402

BIG_SQL = f"""
INSERT INTO numarataj_yapi (id, ad, maks_id, tanitim_no, kat_ust, kat_alt, kullanim, osm_id, geom)
SELECT row_number() OVER (ORDER BY c.n, f.id), coalesce(f.properties->>'name', ''),
       coalesce(f.properties->>'osm_id', f.properties->>'osm_way_id', ''), '', 1 + mod(f.id, 8), 0,
       CASE WHEN f.properties->>'amenity' IS NULL THEN 'konut' ELSE 'kamu' END, NULL,
       ST_Multi(ST_Translate(f.geom, c.i * 0.026, c.j * 0.015))
FROM (SELECT n, mod(n, 12) - 6 AS i, (n / 12) - 6 AS j FROM generate_series(0, {COPIES} - 1) n) c
CROSS JOIN geo_feature f WHERE f.layer_id = %s;
SELECT setval(pg_get_serial_sequence('numarataj_yapi', 'id'), (SELECT max(id) FROM numarataj_yapi));
"""


def dsn() -> str:
    d = settings.DATABASES["default"]
    return f"postgresql://{d['USER']}:{d['PASSWORD']}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{DB}"


def prepare(fresh: bool) -> None:
    """The bench database with both layers loaded (skipped when already there)."""
    if not OSM.exists():
        raise SystemExit(f"{OSM} bulunamadı (the shared OSM data is needed)")
    setup_databases(verbosity=0, interactive=False, keepdb=not fresh)  # connects Django to DB
    with connection.cursor() as cur:
        cur.execute(f'ALTER DATABASE "{DB}" SET jit = off')
        cur.execute(f'ALTER DATABASE "{DB}" SET statement_timeout = \'30s\'')
    small = Layer.objects.filter(slug="binalar").first()
    if small is None or not small.features.exists():
        gpkg = Path("/tmp/kent-bench-ogc/buildings.gpkg")
        gpkg.parent.mkdir(exist_ok=True)
        gpkg.unlink(missing_ok=True)
        subprocess.run(["ogr2ogr", "-f", "GPKG", str(gpkg), str(OSM), "multipolygons", "-nln", "buildings",
                        "-nlt", "MULTIPOLYGON", "-where", "building IS NOT NULL", "-select", ",".join(COLUMNS),
                        "-t_srs", "EPSG:4326"], check=True)
        # theme AK: no required attribute, so the layer carries exactly the peers' six columns
        schema = {"properties": {c: {"type": "string"} for c in COLUMNS}}
        small, _ = Layer.objects.update_or_create(slug="binalar", defaults={
            "title_tr": "Binalar (OSM)", "title_en": "Buildings (OSM)", "theme_id": "AK",
            "geometry_family": "polygon", "access_level": "public", "attribute_schema": schema,
            "abstract": "OSM bina taban alanları, peer karşılaştırması için.", "licence": "ODbL 1.0"})
        call_command("import_layer", str(gpkg), "--layer", "binalar", "--skip-invalid", verbosity=0)
    big, _ = Layer.objects.update_or_create(slug="binalar-buyuk", defaults={
        "title_tr": "Binalar (200 bin kopya)", "title_en": "Buildings (200k copies)", "theme_id": "BI",
        "geometry_family": "polygon", "access_level": "public", "source": "numarataj.Yapi",
        "abstract": "Peer karşılaştırmasının buildings_big ızgarası."})
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM numarataj_yapi")
        if cur.fetchone()[0] != small.features.count() * COPIES:
            cur.execute("TRUNCATE numarataj_yapi CASCADE")
            cur.execute(BIG_SQL, [small.pk])
            cur.execute("VACUUM ANALYZE numarataj_yapi")
            cur.execute("VACUUM ANALYZE geo_feature")
        cols = ", ".join(f"properties->>'{c}' AS {c}" for c in COLUMNS)
        cur.execute(f"CREATE OR REPLACE VIEW bench_buildings AS SELECT id AS ogc_fid, {cols}, geom "
                    f"FROM geo_feature WHERE layer_id = {small.pk}")
        cur.execute("CREATE OR REPLACE VIEW bench_buildings_big AS SELECT id AS ogc_fid, mahalle_id, ad, maks_id, "
                    "tanitim_no, kat_ust, kat_alt, kullanim, osm_id, geom FROM numarataj_yapi")
        cur.execute("SELECT count(*) FROM geo_feature WHERE layer_id = %s", [small.pk])
        n_small = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM numarataj_yapi")
        print(f"[bench] {DB}: binalar {n_small} rows (feature store), binalar-buyuk {cur.fetchone()[0]} rows "
              "(numarataj_yapi)")
    connection.close()


def start_kent() -> subprocess.Popen:
    env = {**os.environ, "KENT_DATABASE_URL": dsn().replace("postgresql://", "postgis://"), "KENT_DEBUG": "0",
           "KENT_ALLOWED_HOSTS": "127.0.0.1,localhost", "KENT_LOG_LEVEL": "ERROR",
           "KENT_OGC_URL": f"http://127.0.0.1:{PORT}/ogc"}
    proc = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "kent.wsgi", "--workers", "2", "--bind",
                             f"127.0.0.1:{PORT}", "--timeout", "30", "--no-control-socket", "--log-level", "warning"],
                            cwd=ROOT, env=env, start_new_session=True)
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/ogc/collections?f=json", timeout=5) as r:
                if r.status == 200:
                    for _ in range(4):  # both workers build their snapshot before timing
                        urllib.request.urlopen(f"http://127.0.0.1:{PORT}/ogc/collections/binalar/items?limit=1")
                    return proc
        except OSError:
            time.sleep(0.2)
    stop(proc)
    raise SystemExit("gunicorn did not answer on :8010")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


def peers_up() -> bool:
    try:
        for url in ("http://127.0.0.1:8101/mapserv/peers/ogcapi/collections?f=json",
                    "http://127.0.0.1:8102/collections?f=json"):
            urllib.request.urlopen(url, timeout=5)
        return PEERS_PY.exists()
    except OSError:
        return False


def run_peers(reps: int, throughput: bool) -> int:
    kent = f"http://127.0.0.1:{PORT}/ogc"
    cmd = [str(PEERS_PY), str(PEERS / "bench.py"), "--system", f"kent=ogcapi:{kent}",
           "--system", f"kentraw=sql:{dsn()}", "--map", "kent:buildings=binalar",
           "--map", "kent:buildings_big=binalar-buyuk", "--map", "kentraw:buildings=bench_buildings",
           "--map", "kentraw:buildings_big=bench_buildings_big", "--systems", "raw,kentraw,mapserver,pygeoapi,kent",
           "--requests", "items|item", "--reps", str(reps), "--quiesce-db", DB,
           "--markdown", str(RESULTS / "ogc_items.md"), "--json", str(RESULTS / "ogc_items.json")]
    if not throughput:
        cmd.append("--no-throughput")
    else:
        cmd += ["--duration", "6"]
    RESULTS.mkdir(exist_ok=True)
    print("[bench]", " ".join(cmd), flush=True)
    return subprocess.call(cmd, cwd=ROOT)


def own_run(reps: int) -> None:
    """Kent vs its raw floor only (no peers): sequential requests, median and p95."""
    import psycopg2
    import requests

    session = requests.Session()
    conn = psycopg2.connect(dsn())
    conn.autocommit = True
    cols = ", ".join(["ogc_fid", *COLUMNS])
    big_cols = "ogc_fid, mahalle_id, ad, maks_id, tanitim_no, kat_ust, kat_alt, kullanim, osm_id"
    env = "WHERE ST_Intersects(geom, ST_MakeEnvelope(%s, %s, %s, %s, 4326))"
    items = ("SELECT '{{\"type\":\"FeatureCollection\",\"features\":[' || coalesce(string_agg("
             "ST_AsGeoJSON(f.*, 'geom', 6), ','), '') || ']}}' FROM (SELECT {cols}, geom FROM {t} {w} LIMIT 1000) f")
    item = "SELECT ST_AsGeoJSON(f.*, 'geom', 6) FROM (SELECT {cols}, geom FROM {t} WHERE ogc_fid = %s) f"
    base = f"http://127.0.0.1:{PORT}/ogc/collections"
    bbox = ",".join(map(str, BBOX))
    cases = [
        ("items.buildings", f"{base}/binalar/items?limit=1000", items.format(cols=cols, t="bench_buildings", w=""), ()),
        ("items.buildings.bbox", f"{base}/binalar/items?limit=1000&bbox={bbox}",
         items.format(cols=cols, t="bench_buildings", w=env), BBOX),
        ("items.big", f"{base}/binalar-buyuk/items?limit=1000",
         items.format(cols=big_cols, t="bench_buildings_big", w=""), ()),
        ("items.big.bbox", f"{base}/binalar-buyuk/items?limit=1000&bbox={bbox}",
         items.format(cols=big_cols, t="bench_buildings_big", w=env), BBOX),
        ("item.buildings", f"{base}/binalar/items/42", item.format(cols=cols, t="bench_buildings"), (42,)),
        ("item.big", f"{base}/binalar-buyuk/items/100042", item.format(cols=big_cols, t="bench_buildings_big"),
         (100042,)),
    ]
    print("| request | kent ms (median / p95) | raw on Kent's tables | ratio | features |")
    print("|---|---|---|---|---|")
    for name, url, sql, args in cases:
        web, raw = [], []
        body = session.get(url).json()
        for _ in range(reps):
            t = time.perf_counter()
            r = session.get(url)
            r.content  # noqa: B018 - read to the last byte
            web.append((time.perf_counter() - t) * 1000)
            with conn.cursor() as cur:
                t = time.perf_counter()
                cur.execute(sql, args)
                cur.fetchall()
                raw.append((time.perf_counter() - t) * 1000)
        n = len(body.get("features", [])) if "features" in body else 1
        p95 = statistics.quantiles(web, n=20)[-1] if reps >= 2 else web[0]
        print(f"| `{name}` | {statistics.median(web):.2f} / {p95:.2f} | {statistics.median(raw):.2f} | "
              f"{statistics.median(web) / statistics.median(raw):.1f}x | {n} |")
    conn.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--fresh", action="store_true", help="rebuild the bench database")
    ap.add_argument("--no-peers", action="store_true", help="time Kent and its raw floor only")
    ap.add_argument("--throughput", action="store_true", help="also the peers' 4-client throughput cells")
    args = ap.parse_args()
    if shutil.which("ogr2ogr") is None:
        raise SystemExit("ogr2ogr (gdal-bin) is needed")
    prepare(args.fresh)
    proc = start_kent()
    try:
        print(json.dumps({"kent": f"http://127.0.0.1:{PORT}/ogc", "db": DB}))
        if not args.no_peers and peers_up():
            return run_peers(args.reps, args.throughput)
        print("[bench] peers not running (bash ../shared/peers/setup.sh && bash ../shared/peers/start.sh); "
              "timing Kent against its raw floor only")
        own_run(args.reps)
        return 0
    finally:
        stop(proc)


if __name__ == "__main__":
    sys.exit(main())

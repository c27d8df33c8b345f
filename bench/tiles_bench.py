"""Benchmark of Kent's tiles: vector tiles against the raw ST_AsMVT floor (and the peers), the
cold Mapnik base-map tile at z16, and cached tiles per second.

    .venv/bin/python bench/tiles_bench.py [--reps 30] [--no-peers] [--wrk-seconds 10]

1. Database KENT_BENCH_DB (default kent_tiles_bench; kept between runs; `jit = off`,
   `statement_timeout = 30s` as the peers'): the demo district (`build_demo`), the OSM buildings of
   ../shared/data/ankara-bahcelievler.osm (ogr2ogr as the peers -> `manage.py import_layer`) as
   feature-store layer `binalar`, and the peers' 200,157-row grid of copies as `binalar-buyuk`.
2. Vector tiles (the peers' six tiles): Kent's render_mvt and Kent over HTTP (gunicorn as in
   scripts/demo.sh, MVT cache off) against the raw ST_AsMVT query of the peers' floor on the same
   rows, in one interleaved loop; then, if ../shared/peers is set up (its setup.sh; started here if
   needed and stopped again), its bench.py times raw, MapServer 8, stock pygeoapi and Kent.
3. Base map: a cold z16 tile of the demo district = one 8 x 8 metatile rendered, cut, written;
   reported per metatile and per tile; plus the first render of a fresh process.
4. Cached tiles/s: `wrk -t2 -c4` from loopback over the 64 cached tiles.
Prints a markdown report (also /tmp/kent-tiles-bench/results.md). No assertions."""

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
OSM = SHARED / "data" / "ankara-bahcelievler.osm"
PEERS = SHARED / "peers"
PEERS_PY = Path("/tmp/peers/venv/bin/python")
SCRATCH = Path("/tmp/kent-tiles-bench")
DB = os.environ.get("KENT_BENCH_DB", "kent_tiles_bench")
BASE_URL = os.environ.get("KENT_DATABASE_URL", "postgis://kent:kent@127.0.0.1:5432/kent")
PORT = 8020
COPIES = 137
COLUMNS = ["osm_id", "osm_way_id", "name", "building", "amenity", "other_tags"]
PEER_TILES = [(12, 2421, 1551), (14, 9685, 6206), (16, 38742, 24827)]  # ../shared/peers/bench.py
DEMO_CENTRE = (32.92, 39.86)  # data/generator.py CENTRE
GOALS = {"mvt_ratio": 1.5, "cold_tile_ms": 30.0, "cached_rps": 2000.0}
GUNICORN = ["--workers", "2"]  # sync workers, as scripts/demo.sh (gthread measured no better: bench/README.md)

db_url = urlsplit(BASE_URL)
os.environ["KENT_DATABASE_URL"] = db_url._replace(path=f"/{DB}").geturl()
os.environ["KENT_MEDIA_ROOT"] = str(SCRATCH / "media")
os.environ["KENT_DEBUG"] = "0"
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.tiles_settings"
os.environ["KENT_BENCH_MVT_CACHE"] = "0"
sys.path.insert(0, str(ROOT))


def log(msg: str) -> None:
    print(f"[tiles-bench] {msg}", file=sys.stderr, flush=True)


def ensure_database() -> None:
    import psycopg2

    conn = psycopg2.connect(dbname="postgres", user=db_url.username, password=db_url.password,
                            host=db_url.hostname, port=db_url.port or 5432)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB])
        if not cur.fetchone():
            log(f"creating database {DB}")
            cur.execute(f'CREATE DATABASE "{DB}"')
        cur.execute(f'ALTER DATABASE "{DB}" SET jit = off')
        cur.execute(f"ALTER DATABASE \"{DB}\" SET statement_timeout = '30s'")
    conn.close()


ensure_database()

import django  # noqa: E402
import mapbox_vector_tile  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from geo.models import AccessLevel, Feature, Layer  # noqa: E402
from numarataj.models import Mahalle  # noqa: E402
from tiles import cache, grid  # noqa: E402
from tiles.basemap import basemap_xml  # noqa: E402
from tiles.mvt import render_mvt  # noqa: E402
from tiles.render import render_metatile  # noqa: E402
from tiles.service import raster_tile  # noqa: E402

RAW_SQL = ("SELECT ST_AsMVT(q, %s, 4096, 'mvtgeom', 'id') FROM ("
           " SELECT id, properties, ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope(%s, %s, %s), 4096, 64, true)"
           " AS mvtgeom FROM geo_feature WHERE layer_id = %s"
           " AND geom && ST_Transform(ST_TileEnvelope(%s, %s, %s, margin => 64.0 / 4096), 4326)) q")


# ------------------------------------------------------------------------------------------ data
def load_data() -> dict[str, Layer]:
    call_command("migrate", verbosity=0)
    if not Mahalle.objects.exists():
        log("build_demo")
        call_command("build_demo", verbosity=0)
    schema = {"properties": {c: {"type": "string"} for c in COLUMNS}}
    common = {"theme_id": "AK", "geometry_family": "polygon", "access_level": AccessLevel.PUBLIC,
              "attribute_schema": schema, "style": {"basemap": "none"}}
    small, _ = Layer.objects.get_or_create(slug="binalar", defaults={"title_tr": "OSM binaları (kıyas)", **common})
    big, _ = Layer.objects.get_or_create(slug="binalar-buyuk", defaults={"title_tr": "OSM binaları x137", **common})
    if not Feature.objects.filter(layer=small).exists():
        if not OSM.exists():
            sys.exit(f"{OSM} not found: the bench needs the shared OSM export")
        SCRATCH.mkdir(parents=True, exist_ok=True)
        gpkg = SCRATCH / "binalar.gpkg"
        gpkg.unlink(missing_ok=True)
        log("ogr2ogr OSM buildings -> GeoPackage")
        subprocess.run(["ogr2ogr", "-f", "GPKG", str(gpkg), str(OSM), "multipolygons", "-nln", "binalar",
                        "-nlt", "MULTIPOLYGON", "-where", "building IS NOT NULL", "-select", ",".join(COLUMNS)],
                       check=True)
        call_command("import_layer", str(gpkg), layer="binalar", verbosity=0)
    small_n = Feature.objects.filter(layer=small).count()
    if Feature.objects.filter(layer=big).count() != small_n * COPIES:
        log(f"writing {small_n * COPIES:,} copies into binalar-buyuk")
        Feature.objects.filter(layer=big).delete()
        with connection.cursor() as cur:
            cur.execute(
                "INSERT INTO geo_feature (layer_id, geom, properties, version, created_at, updated_at) "
                "SELECT %s, ST_Translate(f.geom, c.i * 0.026, c.j * 0.015), f.properties || jsonb_build_object("
                "'kopya', c.n), 1, now(), now() "
                "FROM (SELECT n, (n %% 12) - 6 AS i, (n / 12) - 6 AS j FROM generate_series(0, %s) n) c "
                "CROSS JOIN geo_feature f WHERE f.layer_id = %s ORDER BY c.n, f.id", [big.pk, COPIES - 1, small.pk])
            cur.execute("ANALYZE geo_feature")
    return {"buildings": small, "buildings_big": big}


# ---------------------------------------------------------------------------------------- timing
def ms(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def summary(samples: list[float]) -> tuple[float, float]:
    s = sorted(samples)
    return statistics.median(s), s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


def raw_tile(layer: Layer, z: int, x: int, y: int) -> bytes:
    with connection.cursor() as cur:
        cur.execute(RAW_SQL, [layer.slug, z, x, y, layer.pk, z, x, y])
        return bytes(cur.fetchone()[0] or b"")


def http_get(url: str) -> bytes:
    """The body (b'' for 204); any 4xx/5xx raises."""
    with urllib.request.urlopen(url, timeout=60) as r:
        return r.read()


FLOOR_APP = """# gunicorn's own ceiling on this machine: the same PNG from memory, no Django
DATA = open({path!r}, "rb").read()


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "image/png"), ("Content-Length", str(len(DATA)))])
    return [DATA]
"""


class Gunicorn:
    """Kent (or the floor app) under gunicorn, configured as scripts/demo.sh; stopped on exit."""

    def __init__(self, mvt_cache: bool, app: str = "kent.wsgi", chdir: Path = ROOT) -> None:
        env = {**os.environ, "KENT_BENCH_MVT_CACHE": "1" if mvt_cache else "0"}
        self.log = open(SCRATCH / "gunicorn.log", "a")  # noqa: SIM115 - closed in __exit__
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), app, *GUNICORN, "--bind", f"127.0.0.1:{PORT}",
             "--timeout", "60", "--no-control-socket", "--chdir", str(chdir)],
            env=env, stdout=self.log, stderr=self.log, start_new_session=True)
        for _ in range(100):
            try:
                http_get(f"http://127.0.0.1:{PORT}/tiles/basemap/0/0/0.png")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start; see " + str(SCRATCH / "gunicorn.log"))

    def __enter__(self) -> "Gunicorn":
        return self

    def __exit__(self, *exc: object) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=30)
        self.log.close()


# ------------------------------------------------------------------------------------- the parts
def bench_mvt(layers: dict[str, Layer], reps: int) -> list[dict]:
    """Raw SQL, Kent in-process, Kent over HTTP: interleaved, rotating the order each repetition."""
    rows = []
    for logical, layer in layers.items():
        for z, x, y in PEER_TILES:
            url = f"http://127.0.0.1:{PORT}/tiles/{layer.slug}/{z}/{x}/{y}.mvt"
            variants = {"raw": lambda ly=layer, t=(z, x, y): raw_tile(ly, *t),
                        "kent": lambda ly=layer, t=(z, x, y): render_mvt(ly, *t),
                        "http": lambda u=url: http_get(u)}
            for fn in variants.values():  # warm-up
                fn()
            samples: dict[str, list[float]] = {k: [] for k in variants}
            names = list(variants)
            for i in range(reps):
                for name in names[i % 3:] + names[:i % 3]:
                    samples[name].append(ms(variants[name]))
            counts = {k: sum(len(v["features"]) for v in mapbox_vector_tile.decode(data).values()) if data else 0
                      for k, data in (("raw", raw_tile(layer, z, x, y)), ("kent", render_mvt(layer, z, x, y)))}
            rows.append({"tile": f"mvt.{'big' if logical == 'buildings_big' else 'buildings'}.z{z}",
                         **{k: summary(v) for k, v in samples.items()}, "features": counts})
            log(f"  {rows[-1]['tile']}: raw {rows[-1]['raw'][0]:.2f} ms, kent {rows[-1]['kent'][0]:.2f}, "
                f"http {rows[-1]['http'][0]:.2f}")
    return rows


def peers_running() -> bool:
    for port in (8101, 8102):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=3)
        except urllib.error.HTTPError:
            continue  # it answers
        except (urllib.error.URLError, ConnectionError):
            return False
    return True


def bench_peers(reps: int) -> str | None:
    """../shared/peers/bench.py with Kent added: raw, MapServer, pygeoapi and Kent, MVT requests."""
    if not PEERS_PY.exists():
        log("peers not set up (bash ../shared/peers/setup.sh): skipped")
        return None
    started = False
    if not peers_running():
        log("starting the peers")
        subprocess.run(["bash", str(PEERS / "start.sh")], check=True, stdout=subprocess.DEVNULL)
        started = True
    try:
        out = SCRATCH / "peers.md"
        subprocess.run([str(PEERS_PY), str(PEERS / "bench.py"),
                        "--system", f"kent=tile:http://127.0.0.1:{PORT}/tiles/{{collection}}/{{z}}/{{x}}/{{y}}.mvt",
                        "--map", "kent:buildings=binalar", "--map", "kent:buildings_big=binalar-buyuk",
                        "--systems", "raw,mapserver,pygeoapi,kent", "--requests", "^mvt",
                        "--reps", str(reps), "--cell-budget", "20", "--min-reps", "3", "--duration", "4",
                        "--quiesce-db", DB, "--json", str(SCRATCH / "peers.json"), "--markdown", str(out)],
                       check=True, stdout=subprocess.DEVNULL, cwd=str(ROOT))
        return out.read_text()
    finally:
        if started:
            subprocess.run(["bash", str(PEERS / "stop.sh")], check=False, stdout=subprocess.DEVNULL)


def demo_metatile() -> grid.Metatile:
    x, y = grid.lonlat_to_tile(*DEMO_CENTRE, 16)
    return grid.Metatile.of(16, x, y, 8)


def bench_basemap(reps: int) -> dict:
    """Cold z16 tiles: the tile cache emptied before each, the Mapnik map already loaded."""
    meta = demo_metatile()
    first = ms(lambda: render_metatile(basemap_xml(), meta))  # this process's first render: map load
    metas, single = [], []
    for _ in range(reps):
        cache.clear("basemap")
        metas.append(ms(lambda: raster_tile("basemap", basemap_xml, 16, meta.x, meta.y)))
        single.append(ms(lambda: render_metatile(basemap_xml(), grid.Metatile.of(16, meta.x, meta.y, 1))))
    for k in range(6):  # let both gunicorn workers load the map once (other metatiles, far apart)
        http_get(f"http://127.0.0.1:{PORT}/tiles/basemap/16/{meta.x + 8 * (k + 2)}/{meta.y}.png")
    url = f"http://127.0.0.1:{PORT}/tiles/basemap/16/{meta.x + 3}/{meta.y + 3}.png"
    http_cold = []
    for _ in range(5):
        cache.clear("basemap")
        http_cold.append(ms(lambda: http_get(url)))
    http_first = statistics.median(http_cold)
    http_next = [ms(lambda t=t: http_get(f"http://127.0.0.1:{PORT}/tiles/basemap/16/{meta.x + t % 8}/"
                                         f"{meta.y + t // 8}.png")) for t in range(64)]
    return {"first_render": first, "metatile": summary(metas), "single": summary(single),
            "http_cold": http_first, "http_rest": summary(http_next)}


def wrk(paths: list[str], seconds: int) -> float:
    script = SCRATCH / "tiles.lua"
    body = ",\n".join(f'  "{p}"' for p in paths)
    script.write_text("local paths = {\n" + body + "\n}\nlocal i = 0\n"
                      "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n")
    out = subprocess.run(["wrk", "-t2", "-c4", f"-d{seconds}s", "-s", str(script), f"http://127.0.0.1:{PORT}"],
                         capture_output=True, text=True, check=True).stdout
    for line in (ln for ln in out.splitlines() if "Non-2xx" in ln):
        log("wrk: " + line.strip())
    return float(out.split("Requests/sec:")[1].split()[0])


def bench_cached(layers: dict[str, Layer], reps: int, seconds: int) -> dict:
    """From the tile cache: the peers' tiles one by one (the first request fills it), then tiles/s."""
    latency = {}
    for logical, layer in layers.items():
        for z, x, y in PEER_TILES:
            url = f"http://127.0.0.1:{PORT}/tiles/{layer.slug}/{z}/{x}/{y}.mvt"
            http_get(url)
            latency[f"mvt.{'big' if logical == 'buildings_big' else 'buildings'}.z{z}"] = summary(
                [ms(lambda u=url: http_get(u)) for _ in range(reps)])
    base = [f"/tiles/basemap/16/{x}/{y}.png" for x, y in demo_metatile().tiles()]
    z, x, y = PEER_TILES[2]
    mvt = [f"/tiles/{layers['buildings'].slug}/{z}/{x + dx}/{y + dy}.mvt" for dx in range(-2, 2) for dy in range(-2, 2)]
    for p in base + mvt:
        http_get(f"http://127.0.0.1:{PORT}{p}")
    return {"mvt_latency": latency, "basemap": wrk(base, seconds), "mvt": wrk(mvt, seconds)}


def bench_floor(seconds: int, reps: int) -> tuple[float, float]:
    """A bare WSGI app returning one cached tile under the same gunicorn: tiles/s under the same
    wrk load, and the median urllib GET (the cost of any Python web app here, now)."""
    meta = demo_metatile()
    tile = cache.tile_path("basemap", 16, meta.x, meta.y, "png")
    (SCRATCH / "floorapp.py").write_text(FLOOR_APP.format(path=str(tile)))
    path = f"/tiles/basemap/16/{meta.x}/{meta.y}.png"
    with Gunicorn(mvt_cache=True, app="floorapp:app", chdir=SCRATCH):
        return wrk([path], seconds), summary([ms(lambda: http_get(f"http://127.0.0.1:{PORT}{path}"))
                                             for _ in range(reps * 5)])[0]


# ---------------------------------------------------------------------------------------- report
def report(mvt: list[dict], peers: str | None, base: dict, cached: dict, reps: int, load: tuple) -> str:
    goal = GOALS
    lines = [f"### Run of {time.strftime('%Y-%m-%d %H:%M')} ({os.cpu_count()} CPUs, {reps} reps, medians; "
             f"1-min load average {load[0]:.1f} at the start, {load[1]:.1f} at the end: other work shares the CPUs)",
             "",
             "Vector tiles, ms (median / p95); ratio = median ÷ raw ST_AsMVT on the same rows, same run:", "",
             "| tile | raw ST_AsMVT | Kent render_mvt | ratio | Kent HTTP, no cache | ratio | Kent HTTP, cached "
             "| ratio | features raw/Kent |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in mvt:
        raw, hit = r["raw"][0], cached["mvt_latency"][r["tile"]]
        lines.append(f"| `{r['tile']}` | {r['raw'][0]:.2f} / {r['raw'][1]:.2f} | {r['kent'][0]:.2f} / "
                     f"{r['kent'][1]:.2f} | {r['kent'][0] / raw:.2f}x | {r['http'][0]:.2f} / {r['http'][1]:.2f} | "
                     f"{r['http'][0] / raw:.2f}x | {hit[0]:.2f} / {hit[1]:.2f} | {hit[0] / raw:.2f}x | "
                     f"{r['features']['raw']}/{r['features']['kent']} |")
    worst = max(r["http"][0] / r["raw"][0] for r in mvt)
    lines += ["", f"Goal ≤ {goal['mvt_ratio']}x raw: worst uncached HTTP ratio {worst:.2f}x "
                  f"({'met' if worst <= goal['mvt_ratio'] else 'not met'}). HTTP client: urllib, one connection per "
                  f"request; a bare WSGI app under the same gunicorn answers it in {cached['floor_ms']:.2f} ms.", ""]
    meta_ms, per_tile = base["metatile"][0], base["metatile"][0] / 64
    lines += ["Base map, demo district, z16 (cold = tile cache emptied; Mapnik map already loaded):", "",
              f"- one 8x8 metatile rendered, cut into 64 PNGs and written: {meta_ms:.1f} ms median "
              f"(p95 {base['metatile'][1]:.1f}) = **{per_tile:.2f} ms per tile** "
              f"(goal ≤ {goal['cold_tile_ms']:.0f} ms: {per_tile / goal['cold_tile_ms']:.2f} of it)",
              f"- a single 256 px tile rendered alone, for comparison: {base['single'][0]:.1f} ms",
              f"- first render in a fresh process (XML parse, datasources, connections): {base['first_render']:.0f} ms",
              f"- over HTTP: a cold request {base['http_cold']:.0f} ms (median of 5; it renders the metatile), "
              f"then the metatile's 64 tiles {base['http_rest'][0]:.2f} ms median", "",
              f"Cached tiles, gunicorn {' '.join(GUNICORN)}, wrk -t2 -c4 on loopback (client and server share "
              "the CPUs): "
              f"base map **{cached['basemap']:,.0f} tiles/s** ({cached['basemap'] / goal['cached_rps']:.2f}x the "
              f"{goal['cached_rps']:,.0f}/s goal), vector tiles {cached['mvt']:,.0f}/s. Same load on a bare WSGI app "
              f"returning one tile from memory under the same gunicorn (the ceiling here and now): "
              f"{cached['floor']:,.0f}/s, so Django + Kent keep {cached['basemap'] / cached['floor']:.0%} of it.", ""]
    if peers:
        lines += ["Peers (../shared/peers/bench.py, MVT requests; Kent = gunicorn above, MVT cache off):", "", peers]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=30)
    ap.add_argument("--wrk-seconds", type=int, default=10)
    ap.add_argument("--no-peers", action="store_true")
    a = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    SCRATCH.mkdir(parents=True, exist_ok=True)
    load_start = os.getloadavg()[0]
    layers = load_data()
    with Gunicorn(mvt_cache=False):
        log("vector tiles: raw vs Kent")
        mvt = bench_mvt(layers, a.reps)
        peers = None if a.no_peers else bench_peers(max(5, a.reps // 2))
        log("base map, cold z16")
        base = bench_basemap(max(5, a.reps // 3))
    with Gunicorn(mvt_cache=True):
        log("cached tiles: latency and tiles/s")
        cached = bench_cached(layers, a.reps, a.wrk_seconds)
    cached["floor"], cached["floor_ms"] = bench_floor(a.wrk_seconds, a.reps)
    text = report(mvt, peers, base, cached, a.reps, (load_start, os.getloadavg()[0]))
    (SCRATCH / "results.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()

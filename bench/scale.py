"""Benchmark: Kent on a city-scale register (build_city), each figure as a ratio to the smallest size.

    .venv/bin/python bench/scale.py                                   # 10,000 and 100,000 buildings
    .venv/bin/python bench/scale.py --sizes 10000,100000,1000000     # + a million (~15 min build budget)

1. Each size in a process and a database of its own (kent_bench_scale_<n>: created, migrated,
   dropped at the end; --keep-db keeps them): `manage.py build_city --buildings n` (rate, goal
   >= 5,000 buildings/s), then in-process the matcher's version key and index build,
   number_district of ilçe 1 (plan and approval, rolled back) and the register export of ilçe 1.
2. Then one gunicorn per size (1 sync worker each, MVT cache off as in bench/tiles_bench.py) and,
   over HTTP with the sizes taking turns request by request (so a swing of the shared machine's
   load hits every size alike): OGC API items with a bbox and a single item, vector tiles z14/z16
   of `yapilar`, the editor's bbox listing (logged in) and single address searches (goal p95 <=
   50 ms); last, each worker's RSS (goal <= 500 MB at a million).
Ilçe 1 and the bbox lie in the first copy of the district, which is the same at every size, so
every lookup asks for the same rows and only the register around them grows. Goal: each lookup
and tile within 1.5x of its figure at the smallest size. Load averages are printed with the
figures. Not a test: figures only."""

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("KENT_BENCH_SCALE_PORT", "8047"))
OSM = ROOT.parent / "shared" / "data" / "ankara-bahcelievler.osm"
USER = "bench_scale"
LOOKUPS = ["ogc.items.bbox", "ogc.item", "mvt.z14", "mvt.z16", "editor.bbox", "match.p95"]


def load() -> float:
    return round(os.getloadavg()[0], 1)


def timed(fn, reps: int) -> dict[str, float]:
    """Median and p95 in ms of `reps` calls after one warm-up call."""
    fn()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
    return {"median": round(statistics.median(times), 2), "p95": round(p95, 2), "load": load()}


def tile_xy(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def worker_pids(master: int) -> list[int]:
    kids = Path(f"/proc/{master}/task/{master}/children")
    return [int(p) for p in kids.read_text().split()] if kids.exists() else []


# -- one size, in its own process ------------------------------------------------------------------

def one_size(n: int, seed: int, reps: int) -> dict:
    """Create, migrate and fill the size's database; it is kept for the HTTP phase (dropped by main)."""
    db = f"kent_bench_scale_{n}"
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "kent.settings"
    os.environ["KENT_TEST_DB"] = db
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_databases

    setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        return measure(n, seed, reps, db, settings)
    finally:
        from django.db import connection

        connection.close()


def measure(n: int, seed: int, reps: int, db: str, settings) -> dict:  # noqa: ANN001
    """The build and the in-process figures; the URLs the parent then times over HTTP."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from numarataj.models import Adres, Ilce, Yapi
    from numarataj.services import match_index, numbering, plans

    d = settings.DATABASES["default"]
    out: dict = {"size": n, "db": db, "load_start": load(), "dsn": f"postgis://{d['USER']}:{d['PASSWORD']}@"
                 f"{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{db}"}
    t = time.perf_counter()
    call_command("build_city", "--buildings", str(n), "--seed", str(seed), "--osm", str(OSM),
                 stdout=open(os.devnull, "w"))
    build_s = time.perf_counter() - t
    out["build"] = {"seconds": round(build_s, 1), "rate": round(n / build_s), "load": load()}
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM numarataj_bagimsizbolum")
        out["bolumler"] = cur.fetchone()[0]
        first = Yapi.objects.order_by("pk").values_list("pk", flat=True)[:1000]
        cur.execute("SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Centroid(ST_Extent(geom)) c FROM numarataj_yapi "
                    "WHERE id = ANY(%s)) s", [list(first)])
        lon, lat = cur.fetchone()
    bbox = ",".join(f"{v:.6f}" for v in (lon - 0.0035, lat - 0.0027, lon + 0.0035, lat + 0.0027))  # ~600 m
    ilce = Ilce.objects.order_by("pk").first()
    middle = Yapi.objects.filter(pk__gte=n // 2).order_by("pk").values_list("pk", flat=True).first()
    rng = random.Random(seed)
    doors = list(Adres.objects.filter(mahalle__ilce=ilce).select_related("csbm", "mahalle").order_by("pk")[:3000])
    queries = [f"{a.mahalle.ad} Mah. {a.csbm.tam_ad} No:{a.kapi_no} {ilce.ad}/Ankara" for a in rng.sample(doors, 200)]
    (x14, y14), (x16, y16) = tile_xy(lon, lat, 14), tile_xy(lon, lat, 16)
    out["urls"] = {
        "ogc.items.bbox": [f"/ogc/collections/yapilar/items?f=json&limit=1000&bbox={bbox}"],
        "ogc.item": [f"/ogc/collections/yapilar/items/{middle}?f=json"],
        "mvt.z14": [f"/tiles/yapilar/14/{x14}/{y14}.mvt"],
        "mvt.z16": [f"/tiles/yapilar/16/{x16}/{y16}.mvt"],
        "editor.bbox": [f"/api/geo/layers/yapilar/features/?bbox={bbox}&limit=1000"],
        "match.p95": [f"/api/numarataj/eslestir/?q={urllib.parse.quote(q)}" for q in queries]}
    get_user_model().objects.create_superuser(USER, "bench@example.org", USER)
    out["match.version_key"] = timed(match_index.register_version, 10)
    t = time.perf_counter()
    match_index.RegisterIndex.load(match_index.register_version())
    out["match.index_build"] = {"seconds": round(time.perf_counter() - t, 2), "load": load()}

    with transaction.atomic():
        t = time.perf_counter()
        plan = numbering.plan_district(ilce, check_rights=False)
        t_plan = time.perf_counter() - t
        t = time.perf_counter()
        plans.approve(plan, user=None, comment="bench/scale.py", check_rights=False)
        out["number_district"] = {"plan_s": round(t_plan, 2), "approve_s": round(time.perf_counter() - t, 2),
                                  "buildings": Yapi.objects.filter(mahalle__ilce=ilce).count(), "load": load()}
        transaction.set_rollback(True)
    out["export.ilce"] = export_one(ilce)
    return out


# -- HTTP, every size's server at once, requests interleaved ----------------------------------------

def start_kent(dsn: str, port: int) -> subprocess.Popen:
    import requests

    env = {**os.environ, "KENT_DATABASE_URL": dsn, "KENT_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "bench.tiles_settings",
           "KENT_BENCH_MVT_CACHE": "0", "KENT_ALLOWED_HOSTS": "127.0.0.1,localhost", "KENT_LOG_LEVEL": "ERROR"}
    proc = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "kent.wsgi", "--workers", "1", "--bind",
                             f"127.0.0.1:{port}", "--timeout", "900", "--no-control-socket", "--log-level", "warning"],
                            cwd=ROOT, env=env, start_new_session=True)
    for _ in range(300):
        try:
            if requests.get(f"http://127.0.0.1:{port}/ogc/collections?f=json", timeout=5).status_code == 200:
                return proc
        except requests.RequestException:
            time.sleep(0.2)
    stop(proc)
    raise SystemExit(f"gunicorn did not answer on :{port}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)


def login(port: int):  # noqa: ANN201
    import requests

    s = requests.Session()
    url = f"http://127.0.0.1:{port}/admin/login/"
    s.get(url)
    r = s.post(url, data={"username": USER, "password": USER, "csrfmiddlewaretoken": s.cookies["csrftoken"],
                          "next": "/admin/"}, headers={"Referer": url})
    if "sessionid" not in s.cookies:
        raise SystemExit(f"login on :{port} failed (HTTP {r.status_code})")
    return s


def http_figures(results: list[dict], reps: int) -> None:
    """Each lookup `reps` times per size, the sizes taking turns, so load swings hit all alike."""
    ports = [PORT + i for i in range(len(results))]
    procs = [start_kent(r["dsn"], p) for r, p in zip(results, ports, strict=True)]
    try:
        sessions = [login(p) for p in ports]

        def get(i: int, path: str) -> float:
            t = time.perf_counter()
            r = sessions[i].get(f"http://127.0.0.1:{ports[i]}{path}", timeout=900)
            if r.status_code not in (200, 204):
                raise SystemExit(f"{path}: HTTP {r.status_code} {r.text[:200]}")
            return (time.perf_counter() - t) * 1000

        for i, r in enumerate(results):
            for key in LOOKUPS:  # warm-up; the first search loads the worker's matcher index
                ms = get(i, r["urls"][key][0])
                if key == "match.p95":
                    r["match.first_request_s"] = round(ms / 1000, 2)
        for key in LOOKUPS:
            n = max(reps * 5, 100) if key == "match.p95" else reps
            times: list[list[float]] = [[] for _ in results]
            for k in range(n):
                for i, r in enumerate(results):
                    urls = r["urls"][key]
                    times[i].append(get(i, urls[k % len(urls)]))
            for i, r in enumerate(results):
                r[key] = {"median": round(statistics.median(times[i]), 2),
                          "p95": round(statistics.quantiles(times[i], n=20)[-1], 2), "load": load()}
        for r, proc in zip(results, procs, strict=True):
            r["rss_mb"] = {"worker": max((rss_mb(p) for p in worker_pids(proc.pid)), default=None), "load": load()}
    finally:
        for proc in procs:
            stop(proc)


def drop(results: list[dict]) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kent.settings")
    import django

    django.setup()
    from django.db import connection

    with connection._nodb_cursor() as cur:
        for r in results:
            cur.execute(f'DROP DATABASE IF EXISTS "{r["db"]}"')


def export_one(ilce) -> dict:  # noqa: ANN001
    """The register export of one ilçe (issue 12 §2), timed when this tree has it."""
    try:
        from numarataj.register_io import frames, profiles
    except ImportError as e:
        return {"skipped": f"register export not available: {e}"}
    t = time.perf_counter()
    try:
        built = frames.frames(profiles.default_profile(), [ilce], 4326, None)
    except Exception as e:  # noqa: BLE001 - another engineer's module in progress: report, do not stop
        return {"skipped": f"{type(e).__name__}: {e}"[:200]}
    return {"seconds": round(time.perf_counter() - t, 2), "rows": sum(len(f) for f in built.values()), "load": load()}


# -- the run: every size, then the table ----------------------------------------------------------

def figure(r: dict, key: str) -> float | None:
    v = r.get(key)
    if not isinstance(v, dict):
        return None
    if key == "match.p95":
        return v.get("p95")
    return v.get("median", v.get("seconds"))


def report(results: list[dict]) -> None:
    ref = results[0]
    sizes = [f"{r['size']:,}" for r in results]
    print(f"\n| figure | {' | '.join(sizes)} | ratio at {sizes[-1]} |")
    print(f"|---|{'---|' * len(results)}---|")
    rows = [("build (buildings/s)", lambda r: r["build"]["rate"]),
            ("build (s)", lambda r: r["build"]["seconds"]),
            ("number_district plan (s)", lambda r: r["number_district"]["plan_s"]),
            ("number_district approve (s)", lambda r: r["number_district"]["approve_s"]),
            ("matcher version key (ms, median)", lambda r: figure(r, "match.version_key")),
            ("matcher index build (s)", lambda r: r["match.index_build"]["seconds"]),
            *[(f"{k} (ms, {'p95' if k == 'match.p95' else 'median'})", lambda r, k=k: figure(r, k)) for k in LOOKUPS],
            ("export ilçe 1 (s)", lambda r: r["export.ilce"].get("seconds")),
            ("web worker RSS (MB)", lambda r: r["rss_mb"]["worker"]),
            ("load average (start → end)", lambda r: f"{r['load_start']} → {r['rss_mb']['load']}")]
    for name, get in rows:
        vals = [get(r) for r in results]
        ratio = ""
        if all(isinstance(v, int | float) and v for v in (vals[0], vals[-1])):
            ratio = f"{vals[-1] / vals[0]:.2f}×"
        cells = ["—" if v is None else f"{v:,}" if isinstance(v, int | float) else str(v) for v in vals]
        print(f"| {name} | {' | '.join(cells)} | {ratio} |")
    bad = [k for k in LOOKUPS if figure(results[-1], k) and figure(ref, k)
           and figure(results[-1], k) / figure(ref, k) > 1.5]
    print(f"\nlookups over 1.5x of the {sizes[0]} figure: {', '.join(bad) or 'none'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="buildings per run, smallest first")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not OSM.exists():
        raise SystemExit(f"{OSM} bulunamadı (the shared OSM data is needed)")
    if args.one:
        print("RESULT " + json.dumps(one_size(args.one, args.seed, args.reps)), flush=True)
        return 0
    results = []
    for n in [int(s) for s in args.sizes.split(",")]:
        print(f"[scale] {n:,} buildings (load {load()})", flush=True)
        cmd = [sys.executable, __file__, "--one", str(n), "--seed", str(args.seed), "--reps", str(args.reps)]
        done = subprocess.run(cmd, capture_output=True, text=True)
        lines = [ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")]
        if done.returncode or not lines:
            print(done.stdout[-2000:], done.stderr[-4000:], sep="\n")
            return 1
        results.append(json.loads(lines[-1][7:]))
        print(json.dumps({k: v for k, v in results[-1].items() if k != "urls"}), flush=True)
    print(f"[scale] HTTP lookups, sizes interleaved (load {load()})", flush=True)
    try:
        http_figures(results, args.reps)
    finally:
        if not args.keep_db:
            drop(results)
    for r in results:
        print(json.dumps({k: v for k, v in r.items() if k != "urls"}), flush=True)
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: numbering every building of a ~1,000-building district and approving the plan
(goal: each under 5 s).

    .venv/bin/python bench/numbering.py [--keepdb] [--grid]

Runs in a throwaway database (KENT_BENCH_DB, default bench_kent_numbering; the dev database is not
touched). The district is `manage.py build_demo` when that command exists, else (or with --grid)
a generated grid of sokaks between caddes. Times making the district plan (every building
numbered, the plan's rows written) and, separately, approving it (addresses, number history and
geo history written). Not a test: it prints figures, it asserts nothing."""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kent.settings")
os.environ["KENT_TEST_DB"] = os.environ.get("KENT_BENCH_DB", "bench_kent_numbering")

import django  # noqa: E402

django.setup()

from django.core.management import call_command, get_commands  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from pyproj import Transformer  # noqa: E402

from numarataj.models import Csbm, Il, Ilce, Mahalle, Yapi  # noqa: E402
from numarataj.services import numbering, plans  # noqa: E402

LIMIT_S = 5.0  # making the district plan
APPROVE_LIMIT_S = 5.0  # approving it: the officer waits for the button no longer than for the plan
ORIGIN = (495000.0, 4412000.0)  # EPSG:5255 metres, east of Ankara, clear of the demo and OSM data


def grid_district(buildings: int = 1000) -> Ilce:
    """Caddes every 400 m north-south, sokaks every 100 m west-east, 20 m plots on both sides."""
    from django.contrib.gis.geos import LineString, MultiLineString, MultiPolygon, Polygon

    to_ll = Transformer.from_crs(5255, 4326, always_xy=True)

    def ll(coords):
        xs, ys = zip(*((ORIGIN[0] + x, ORIGIN[1] + y) for x, y in coords), strict=True)
        return list(zip(*to_ll.transform(xs, ys), strict=True))

    def box(x0, y0, x1, y1):
        return MultiPolygon(Polygon(ll([(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)])), srid=4326)

    width, rows = 1600, (buildings // 2 // 70) + 1
    il, _ = Il.objects.get_or_create(ad="Ankara", defaults={"plaka": 6})
    ilce = Ilce.objects.create(il=il, ad="Bench", geom=box(-50, -50, width + 50, rows * 100 + 50))
    mahalle = Mahalle.objects.create(ilce=ilce, ad="Bench", geom=box(-50, -50, width + 50, rows * 100 + 50))
    for i, x in enumerate(range(0, width + 1, 400)):
        c = Csbm.objects.create(ilce=ilce, tur="cadde", ad=f"Bench {i + 1}",
                                geom=MultiLineString(LineString(ll([(x, 0), (x, rows * 100)])), srid=4326))
        c.mahalleler.add(mahalle)
    yapilar = []
    for r in range(rows):
        y = r * 100 + 50
        c = Csbm.objects.create(ilce=ilce, tur="sokak", numara=1000 + r,
                                geom=MultiLineString(LineString(ll([(0, y), (width, y)])), srid=4326))
        c.mahalleler.add(mahalle)
        for x in range(15, width - 10, 22):
            if x % 400 < 20 or x % 400 > 380:
                continue
            for dy in (14, -14):
                if len(yapilar) < buildings:
                    yapilar.append(Yapi(mahalle=mahalle, kat_ust=4, geom=box(x - 8, y + dy - 6, x + 8, y + dy + 6)))
    Yapi.objects.bulk_create(yapilar)
    return ilce


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keepdb", action="store_true", help="reuse the bench database (faster set-up)")
    parser.add_argument("--grid", action="store_true", help="use the generated grid even if build_demo exists")
    args = parser.parse_args()
    old = setup_databases(verbosity=0, interactive=False, keepdb=args.keepdb)
    try:
        with transaction.atomic():  # rolled back at the end: a kept database keeps only its schema
            run(use_demo=not args.grid and "build_demo" in get_commands())
            transaction.set_rollback(True)
    finally:
        teardown_databases(old, verbosity=0, keepdb=args.keepdb)


def run(*, use_demo: bool) -> None:
    if use_demo:
        call_command("build_demo", "--replace", verbosity=0)
        ilce = max(Ilce.objects.all(), key=lambda i: Yapi.objects.filter(mahalle__ilce=i).count())
    else:
        ilce = grid_district()
    n = Yapi.objects.filter(mahalle__ilce=ilce).count()
    started = time.perf_counter()
    plan = numbering.plan_district(ilce, check_rights=False)
    t_plan = time.perf_counter() - started
    started = time.perf_counter()
    plans.approve(plan, user=None, comment="bench", check_rights=False)
    t_apply = time.perf_counter() - started
    o = plan.ozet
    print(f"district: {ilce} ({'build_demo' if use_demo else 'grid'}), {n} buildings, {o['sokak']} streets, "
          f"{o['kapi']} doors, {o['degisen']} changes, {len(o['sokaksiz_yapi'])} buildings with no street "
          "within 60 m")
    print(f"numbering (plan every building): {t_plan:.2f} s = {t_plan / LIMIT_S:.0%} of the {LIMIT_S:.0f} s "
          f"limit ({n / t_plan:,.0f} buildings/s)")
    print(f"approval (write addresses + history): {t_apply:.2f} s = {t_apply / APPROVE_LIMIT_S:.0%} of the "
          f"{APPROVE_LIMIT_S:.0f} s limit ({plan.degisiklikler.count():,} history rows)")


if __name__ == "__main__":
    main()

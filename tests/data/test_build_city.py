"""build_city on a small city (3 copies of the shared OSM district, the last one partial): the
counts asked for, one door per building on a street within 60 m, names unique per ilçe, no
invented official codes, and the same seed giving the same register."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from numarataj.models import Adres, BagimsizBolum, Csbm, Ilce, Mahalle, Yapi

pytestmark = [pytest.mark.django_db, pytest.mark.shared]
N = 2500

# Everything a register reader sees, ids left out (they depend on what the database held before).
DIGEST_SQL = """
SELECT md5(string_agg(row, '|' ORDER BY row)) FROM (
  SELECT concat_ws(';', i.ad, m.ad, ST_AsText(ST_SnapToGrid(y.geom, 1e-7)), y.kat_ust, y.kullanim, a.kapi_no,
                   a.taraf, c.tur, c.ad, c.numara, ST_AsText(ST_SnapToGrid(a.geom, 1e-7)),
                   (SELECT string_agg(concat_ws(',', b.ic_kapi_no, b.kat, b.kullanim), ' ' ORDER BY b.ic_kapi_no)
                    FROM numarataj_bagimsizbolum b WHERE b.adres_id = a.id)) AS row
  FROM numarataj_yapi y JOIN numarataj_mahalle m ON m.id = y.mahalle_id JOIN numarataj_ilce i ON i.id = m.ilce_id
  JOIN numarataj_adres a ON a.yapi_id = y.id JOIN numarataj_csbm c ON c.id = a.csbm_id) t
"""


def _build(osm: Path, seed: int, *extra: str) -> str:
    call_command("build_city", "--buildings", str(N), "--seed", str(seed), "--osm", str(osm), *extra, verbosity=0)
    with connection.cursor() as cur:
        cur.execute(DIGEST_SQL)
        return cur.fetchone()[0]


def _scalar(sql: str) -> object:
    with connection.cursor() as cur:
        cur.execute(sql)
        return cur.fetchone()[0]


def test_small_city(shared_data: Path) -> None:
    osm = shared_data / "ankara-bahcelievler.osm"
    first = _build(osm, 7)

    assert Yapi.objects.count() == N
    assert Adres.objects.count() == N
    assert Adres.objects.filter(yapi__isnull=True).count() == 0
    assert Adres.objects.values("yapi").distinct().count() == N  # every building has its own door
    assert Adres.objects.filter(csbm__isnull=True).count() == 0
    assert BagimsizBolum.objects.count() >= N
    assert BagimsizBolum.objects.filter(adres__isnull=True).count() == 0
    assert Ilce.objects.count() == 1 and Mahalle.objects.count() > 6 and Csbm.objects.count() > 100
    assert Yapi.objects.filter(mahalle__isnull=True).count() == 0
    far = _scalar("SELECT count(*) FROM numarataj_adres a JOIN numarataj_csbm c ON c.id = a.csbm_id "
                  "WHERE NOT ST_DWithin(a.geom::geography, c.geom::geography, 60)")
    assert far == 0
    assert _scalar("SELECT count(*) FROM (SELECT 1 FROM numarataj_csbm GROUP BY ilce_id, tur, ad, numara "
                   "HAVING count(*) > 1) d") == 0
    assert _scalar("SELECT count(*) FROM numarataj_adres a JOIN numarataj_yapi y ON y.id = a.yapi_id "
                   "WHERE a.mahalle_id IS DISTINCT FROM y.mahalle_id") == 0
    # no invented official codes: they stay empty, awaiting registration
    assert not Adres.objects.exclude(uavt_kodu__isnull=True).exclude(uavt_kodu="").exists()
    assert not BagimsizBolum.objects.exclude(adres_kodu__isnull=True).exclude(adres_kodu="").exists()
    assert not Yapi.objects.exclude(maks_id__isnull=True).exclude(maks_id="").exists()
    # building and door indexes were rebuilt
    assert _scalar("SELECT count(*) FROM pg_indexes WHERE tablename = 'numarataj_adres' AND indexdef ILIKE '%gist%'")

    with pytest.raises(CommandError):
        _build(osm, 7)  # the register is not empty
    assert _build(osm, 7, "--replace") == first
    assert Yapi.objects.count() == N
    assert _build(osm, 8, "--replace") != first

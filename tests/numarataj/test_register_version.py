"""The matcher's register version key (migration 0005's triggers): it changes with every write to
any register table, by any means, also twice in one transaction, and not otherwise."""

import pytest
from django.db import connection

from numarataj.models import Adres, Csbm, Il, Ilce, Mahalle
from numarataj.services.match_index import get_index, register_version

pytestmark = pytest.mark.django_db


def _sql(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cur:
        cur.execute(sql, params)


def test_version_changes_with_every_register_write() -> None:
    before = register_version()
    assert register_version() == before  # reading changes nothing
    il = Il.objects.create(ad="Sınama", plaka=81)
    after_il = register_version()
    assert after_il != before
    ilce = Ilce.objects.create(il=il, ad="Deneme")
    mahalle = Mahalle.objects.create(ilce=ilce, ad="Lale", geom="SRID=4326;MULTIPOLYGON(((0 0,1 0,1 1,0 1,0 0)))")
    csbm = Csbm.objects.create(ilce=ilce, tur="sokak", ad="Papatya", geom="SRID=4326;MULTILINESTRING((0 0,1 1))")
    seen = [after_il, register_version()]
    csbm.mahalleler.add(mahalle)  # the link table counts too
    seen.append(register_version())
    adres = Adres.objects.create(csbm=csbm, mahalle=mahalle, kapi_no="3", geom="SRID=4326;POINT(0.5 0.5)")
    seen.append(register_version())
    _sql("UPDATE numarataj_adres SET kapi_no = '5' WHERE id = %s", [adres.pk])  # plain SQL, same transaction
    seen.append(register_version())
    _sql("UPDATE numarataj_adres SET kapi_no = kapi_no WHERE false")  # a statement that touches no row still counts
    seen.append(register_version())
    assert len(set(seen)) == len(seen)
    _sql("SELECT count(*) FROM numarataj_adres")
    assert register_version() == seen[-1]


def test_index_follows_the_version(settings) -> None:  # noqa: ANN001
    settings.KENT_MATCH_REFRESH_SECONDS = 0
    il = Il.objects.create(ad="Sınama", plaka=81)
    ilce = Ilce.objects.create(il=il, ad="Deneme")
    first = get_index()
    Mahalle.objects.create(ilce=ilce, ad="Menekşe", geom="SRID=4326;MULTIPOLYGON(((0 0,1 0,1 1,0 1,0 0)))")
    second = get_index()
    assert second is not first and "Menekşe" in second.mahalle_names.values()
    assert get_index() is second  # nothing changed: the same index

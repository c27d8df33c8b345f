"""Register export and sync: the demo register exported (GeoPackage, Shapefile zip, CSV zip) and
imported into an empty register gives the same register; a changes export lists new, renumbered,
renamed and removed rows from the history; doors without an official code say so."""

import dataclasses
import hashlib
import json
import zipfile
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
import shapely
from django.contrib.gis.geos import LineString, MultiLineString, MultiPolygon, Point, Polygon

from data.register import wipe_register, write_district
from numarataj.models import Adres, BagimsizBolum, Csbm, Il, Ilce, Mahalle, RegisterExport, Yapi
from numarataj.models.adres import TESCIL_BEKLIYOR
from numarataj.register_io import frames
from numarataj.register_io.commit import import_register
from numarataj.register_io.export import export_register
from numarataj.register_io.profiles import default_profile
from numarataj.services import register

from .register_files import district

pytestmark = pytest.mark.django_db
CODE = {Mahalle: "uavt_kodu", Csbm: "uavt_kodu", Yapi: "maks_id", Adres: "uavt_kodu"}


@pytest.fixture
def demo() -> None:
    d = district()
    write_district(dataclasses.replace(d, features=[], assets=[], kiosks=[]))


def state() -> dict[str, set]:
    """The register as plain values, rows and links named by their codes."""
    return {
        "mahalle": set(Mahalle.objects.values_list("uavt_kodu", "ad", "ilce__ad", "ilce__il__ad", "ilce__il__plaka")),
        "csbm": {(c.uavt_kodu, c.tur, c.ad, c.numara, tuple(sorted(m.uavt_kodu for m in c.mahalleler.all())))
                 for c in Csbm.objects.prefetch_related("mahalleler")},
        "yapi": set(Yapi.objects.values_list("maks_id", "ad", "ada", "parsel", "tanitim_no", "kat_ust", "kat_alt",
                                             "kullanim", "mahalle__uavt_kodu")),
        "adres": set(Adres.objects.values_list("uavt_kodu", "kapi_no", "taraf", "csbm__uavt_kodu", "yapi__maks_id",
                                               "mahalle__uavt_kodu")),
        "bb": set(BagimsizBolum.objects.values_list("adres_kodu", "adres__uavt_kodu", "ic_kapi_no", "kat", "kullanim")),
    }


def geometries() -> dict[tuple[str, str], shapely.Geometry]:
    return {(m.__name__, getattr(o, CODE[m])): shapely.from_wkb(bytes(o.geom.wkb))
            for m in CODE for o in m.objects.only(CODE[m], "geom")}


@pytest.mark.parametrize("fmt", ["gpkg", "shp", "csv"])
def test_round_trip_into_an_empty_register(demo, fmt, tmp_path):
    before, shapes = state(), geometries()
    assert len(before["adres"]) > 1000 and all(row[0] for row in before["adres"])
    result = export_register(tmp_path / "kayit", fmt=fmt)
    assert result.manifest["katmanlar"]["KAPI"] == len(before["adres"])
    assert result.manifest["crs"] == "EPSG:5255" and result.manifest["tescil_bekleyen"]["KAPI"] == 0
    wipe_register()
    assert not Adres.objects.exists()

    report = import_register(result.path, default_profile(), user=None)
    assert report.committed and not report.refused
    assert state() == before
    after = geometries()
    assert after.keys() == shapes.keys()
    assert max(shapely.hausdorff_distance(shapes[k], after[k]) for k in shapes) < 1e-7  # degrees, ~1 cm


def test_changes_since_the_last_export(demo, tmp_path):
    full = export_register(tmp_path / "tam", fmt="gpkg")
    digest = hashlib.sha256(full.path.read_bytes()).hexdigest()
    assert full.manifest["dosyalar"] == {"tam.gpkg": digest}
    assert json.loads(Path(f"{full.path}.manifest.json").read_text())["dosyalar"]["tam.gpkg"] == digest

    street = Csbm.objects.exclude(ad="").order_by("pk").first()
    street.ad = "Yeni Umut"
    register.save_csbm(street, user=None, check_rights=False)
    door = Adres.objects.order_by("pk").first()
    door.kapi_no = "777"
    register.Recorder(None).write_adres(door)
    unit = BagimsizBolum.objects.order_by("pk").last()
    removed_code = unit.adres_kodu
    register.delete_row(unit, user=None, check_rights=False)
    new_door = Adres(csbm=street, yapi=door.yapi, mahalle=door.mahalle, kapi_no="779", geom=door.geom)
    register.Recorder(None).write_adres(new_door)  # made in Kent: no UAVT code yet

    sync = export_register(tmp_path / "degisen", fmt="csv", since="last")
    assert sync.manifest["donem"]["baslangic"] == RegisterExport.objects.order_by("at").first().at.isoformat()
    assert sync.manifest["degisiklikler"] == {"ad_degisti": 1, "numara_degisti": 1, "yeni": 1, "silindi": 1}
    assert sync.manifest["tescil_bekleyen"]["KAPI"] == 1
    with zipfile.ZipFile(sync.path) as z:
        kapi = pd.read_csv(z.open("KAPI.csv"), dtype=str, keep_default_na=False)
        silinen = pd.read_csv(z.open("SILINEN.csv"), dtype=str)
        yol = pd.read_csv(z.open("CSBM.csv"), dtype=str)
        assert json.loads(z.read("manifest.json"))["katmanlar"]["CSBM"] == 1
    assert sorted(zip(kapi["KAPI_NO"], kapi["DEGISIKLIK"], kapi["TESCIL_DURUMU"], strict=True)) == [
        ("777", "numara_degisti", "Tescilli (registered)"), ("779", "yeni", TESCIL_BEKLIYOR)]
    assert list(yol["YOL_ADI"]) == ["Yeni Umut"] and list(yol["DEGISIKLIK"]) == ["ad_degisti"]
    assert list(zip(silinen["KATMAN"], silinen["KOD"], strict=True)) == [("bagimsiz_bolum", removed_code)]
    assert pyogrio.list_layers(str(full.path)).shape[0] == 5


def test_export_of_one_ilce_reads_its_rows_and_their_links(demo, monkeypatch):
    """One ilçe's rows only; a link to a row of another ilçe still carries that row's code; the
    ids read in chunks give the same rows as in one query."""
    demo_ilce = Ilce.objects.get()
    other = Ilce.objects.create(il=Il.objects.get(), ad="Keçiören")
    box = MultiPolygon(Polygon(((32.0, 40.0), (32.1, 40.0), (32.1, 40.1), (32.0, 40.0))), srid=4326)
    mah = Mahalle.objects.create(ilce=other, ad="Bağlum", uavt_kodu="M2", geom=box)
    street = Csbm.objects.create(ilce=other, tur="sokak", ad="Ilgaz", uavt_kodu="C2",
                                 geom=MultiLineString(LineString((32.01, 40.01), (32.05, 40.01)), srid=4326))
    street.mahalleler.add(mah)
    across = Yapi.objects.exclude(maks_id="").order_by("pk").first()  # a building of the demo ilçe
    door = Adres.objects.create(csbm=street, mahalle=mah, yapi=across, kapi_no="3", uavt_kodu="K2",
                                geom=Point(32.02, 40.011, srid=4326))
    BagimsizBolum.objects.create(adres=door, ic_kapi_no="1", kat=1, adres_kodu="B2")

    rows = frames.register_rows([other], None)
    assert [(r["kod"], r["mahalle_kodu"]) for r in rows["csbm"]] == [("C2", "M2")]
    assert [(r["kod"], r["csbm_kodu"], r["yapi_kodu"], r["mahalle_kodu"]) for r in rows["adres"]] == [
        ("K2", "C2", across.maks_id, "M2")]
    assert [r["kod"] for r in rows["yapi"]] == [across.maks_id]  # behind the street's door
    assert [(r["kod"], r["kapi_kodu"]) for r in rows["bagimsiz_bolum"]] == [("B2", "K2")]

    def plain(ilce: Ilce) -> dict[str, list[dict]]:
        return {k: [{f: v for f, v in r.items() if f != "geom"} for r in rs]
                for k, rs in frames.register_rows([ilce], None).items()}

    whole = plain(demo_ilce)
    assert "K2" not in {r["kod"] for r in whole["adres"]} and len(whole["adres"]) == Adres.objects.count() - 1
    assert {(r["kod"], r["csbm_kodu"], r["yapi_kodu"], r["mahalle_kodu"]) for r in whole["adres"]} == set(
        Adres.objects.exclude(pk=door.pk).values_list("uavt_kodu", "csbm__uavt_kodu", "yapi__maks_id",
                                                      "mahalle__uavt_kodu"))
    monkeypatch.setattr(frames, "CHUNK", 7)
    assert plain(demo_ilce) == whole

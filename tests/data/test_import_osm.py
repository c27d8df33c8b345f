"""import_osm on the real Bahçelievler export: counts measured independently (ElementTree and
GDAL's OSM driver agree) and asserted exactly; broken files change nothing."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from geo.models import Feature, Layer
from numarataj.models import Adres, Csbm, Ilce, Mahalle, Yapi
from smartcity.models import Asset
from tests.conftest import SHARED_HINT, missing

SAMPLE = "ankara-bahcelievler.osm"


@pytest.fixture
def sample(shared_data: Path) -> Path:
    path = shared_data / SAMPLE
    if not path.is_file():
        missing(f"{path} not found: {SHARED_HINT}")
    return path


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (Ilce, Mahalle, Csbm, Yapi, Adres, Feature, Asset, Layer)}


@pytest.mark.django_db
def test_import_counts_match_the_file(sample: Path) -> None:
    call_command("import_osm", str(sample), "--replace")
    # 1,460 building ways + 1 building multipolygon relation ("D blok"); the 2 building nodes have no footprint
    assert Yapi.objects.count() == 1461
    assert Yapi.objects.filter(osm_id=-6231132, ad="D blok").exists()  # relations keep a negative osm_id
    assert not Yapi.objects.filter(osm_id__isnull=True).exists()
    assert Yapi.objects.filter(kat_ust=12).count() == 3  # building:levels=12 on three ways
    assert not Yapi.objects.filter(mahalle__isnull=True).exists()
    assert Csbm.objects.count() == 58  # 92 named highway ways, 58 distinct names
    assert Csbm.objects.filter(tur="meydan").get().ad == "Beşevler Cahar Dudayev"
    assert Csbm.objects.get(tur="bulvar").ad == "Mevlana"
    assert Csbm.objects.get(tur="sokak", ad="Mertebe") and Csbm.objects.get(tur="cadde", numara=4)
    assert Csbm.objects.filter(tur="sokak", ad="Yaya Üst Geçidi").exists()  # no suffix: a sokak
    multi = Csbm.objects.annotate(n=Count("id")).get(tur="cadde", ad="Mareşal Fevzi Çakmak")
    assert multi.geom.geom_type == "MultiLineString"

    layers = dict(Feature.objects.values_list("layer__slug").annotate(n=Count("id")))
    assert layers["eczaneler"] == 17
    assert layers["otobus-duraklari"] == 5
    assert layers["okullar"] == 9  # amenity=school: 4 nodes + 5 ways
    assert layers["parklar"] == 12  # leisure=park, all closed ways
    assert layers["kutuphaneler"] == 2 and layers["ibadet-yerleri"] == 1
    assert {f.geom.geom_type for f in Feature.objects.filter(layer__slug="parklar")} <= {"Polygon", "MultiPolygon"}
    assert all(f.properties["ad"] for f in Feature.objects.filter(layer__slug="eczaneler"))
    kinds = dict(Asset.objects.values_list("kind").annotate(n=Count("id")))
    assert kinds == {"OffStreetParking": 14, "TrafficSignal": 10}  # car parks: 4 nodes + 10 ways
    assert Asset.objects.get(osm_id=25895153).attributes["category"] == ["public", "free"]


@pytest.mark.django_db
def test_import_areas_from_incomplete_boundaries(sample: Path) -> None:
    call_command("import_osm", str(sample), "--replace")
    mahalleler = {m.ad: m for m in Mahalle.objects.select_related("ilce")}
    assert set(mahalleler) == {"Bahçelievler", "Beştepe", "Emek", "Emniyet", "Mebusevleri", "Yukarı Bahçelievler"}
    assert {m.ilce.ad for m in mahalleler.values() if m.ad in ("Beştepe", "Emniyet")} == {"Yenimahalle"}
    assert {m.ilce.ad for m in mahalleler.values() if m.ad not in ("Beştepe", "Emniyet")} == {"Çankaya"}
    assert mahalleler["Bahçelievler"].yaklasik is False  # all its member ways are in the export
    assert mahalleler["Emek"].yaklasik is True
    assert Ilce.objects.get(ad="Çankaya").il.plaka == 6
    assert Layer.objects.get(slug="yapilar").responsible_party == "Çankaya Belediyesi CBS Müdürlüğü"
    assert "OpenStreetMap" in Layer.objects.get(slug="yapilar").licence


@pytest.mark.django_db
def test_messy_addresses_are_kept_as_written(sample: Path) -> None:
    call_command("import_osm", str(sample), "--replace")
    assert Adres.objects.count() == 33  # objects with addr:street or addr:housenumber
    turunc = Adres.objects.get(yazildigi_gibi__contains="Mrşl. Fevzi Çakmak")
    assert turunc.kapi_no == "6/B"
    assert turunc.csbm.tam_ad == "Mareşal Fevzi Çakmak Caddesi"
    assert turunc.yapi is not None  # the pharmacy node stands inside a building
    sok36 = Adres.objects.get(yazildigi_gibi__startswith="36.Sok")
    assert (sok36.kapi_no, sok36.csbm.numara, sok36.csbm.tur) == ("30", 36, "sokak")
    assert Adres.objects.filter(kapi_no="L1 Blok 23A", csbm__ad="Kırım").exists()
    assert Adres.objects.get(yazildigi_gibi__contains="Bahçe sokak").csbm is None  # no such street in the file


@pytest.mark.django_db
def test_import_replace_is_idempotent_and_replaces_the_demo(sample: Path) -> None:
    call_command("build_demo", "--replace")
    call_command("import_osm", str(sample), "--replace")
    assert not Ilce.objects.filter(ad="Yenikent").exists()
    assert not Asset.objects.filter(asset_id__contains=":demo-").exists()
    first = _counts()
    call_command("import_osm", str(sample), "--replace")
    assert _counts() == first


@pytest.mark.django_db
@pytest.mark.parametrize("content", [
    b"this is not xml",
    b"<html><body>not osm</body></html>",
    b"<?xml version='1.0'?><osm version='0.6'></osm>",
    None,  # the real file cut in half
])
def test_broken_file_is_one_error_and_changes_nothing(sample: Path, tmp_path: Path, content: bytes | None) -> None:
    call_command("build_demo", "--replace")
    before = _counts()
    bad = tmp_path / "bad.osm"
    bad.write_bytes(content if content is not None else sample.read_bytes()[: sample.stat().st_size // 2])
    with pytest.raises(CommandError, match="okunamadı"):
        call_command("import_osm", str(bad), "--replace")
    assert _counts() == before
    assert Ilce.objects.filter(ad="Yenikent").exists()

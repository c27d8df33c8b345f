"""Turkish column names and yes/no words through a real import: a Windows-1254 Shapefile without a
.cpg (what older Turkish GIS tools write) and a CSV, both with İLÇE, ADI, AKTİF columns."""

import geopandas as gpd
import pyogrio
import pytest
from django.contrib.auth.models import User
from shapely.geometry import Point

from geo.models import Layer
from geo.services.importer import ImportRefused, import_file

from .test_import_export import ANKARA_TM30, TM30, make_layer

ROWS = [("Çankaya", "Işıklar", "EVET"), ("Keçiören", "Çağlayan", "HAYIR"), ("Altındağ", "İstiklal", "Hayır")]
EXPECTED = {"Işıklar": {"ilçe": "Çankaya", "adı": "Işıklar", "aktif": True},
            "Çağlayan": {"ilçe": "Keçiören", "adı": "Çağlayan", "aktif": False},
            "İstiklal": {"ilçe": "Altındağ", "adı": "İstiklal", "aktif": False}}


@pytest.fixture
def mahalleler(db) -> Layer:
    """A point layer whose schema uses the Turkish lower-case names and declares AKTİF a boolean."""
    return make_layer("mahalle-noktalari", "point", theme="AY", attribute_schema={"properties": {
        "ilçe": {"type": "string"}, "adı": {"type": "string"}, "aktif": {"type": "boolean"}}})


@pytest.fixture
def operator(db) -> User:
    return User.objects.create_superuser("operator", password="pw")


def stored(layer: Layer) -> dict[str, dict]:
    return {f.properties["adı"]: f.properties for f in layer.rows()}


def test_windows_1254_shapefile_without_cpg(tmp_path, mahalleler, operator):
    x, y = ANKARA_TM30
    frame = gpd.GeoDataFrame({"İLÇE": [r[0] for r in ROWS], "ADI": [r[1] for r in ROWS],
                              "AKTİF": [r[2] for r in ROWS]},
                             geometry=[Point(x + 10.5 * i, y + 7.25 * i) for i in range(len(ROWS))],
                             crs=f"EPSG:{TM30}")
    path = tmp_path / "mahalleler.shp"
    pyogrio.write_dataframe(frame, path, encoding="cp1254")
    path.with_suffix(".cpg").unlink(missing_ok=True)
    raw = path.with_suffix(".dbf").read_bytes()
    assert "Işıklar".encode("cp1254") in raw and "Işıklar".encode() not in raw  # really 1254

    report = import_file(path, mahalleler, user=operator)
    assert report.imported == 3 and any("1254" in w for w in report.warnings)
    assert stored(mahalleler) == EXPECTED  # "ilçe", not "i̇lçe" with a combining dot


def test_csv_with_turkish_columns_and_yes_no_words(tmp_path, mahalleler, operator):
    path = tmp_path / "mahalleler.csv"
    lines = ["İLÇE;ADI;AKTİF;LONGITUDE;LATITUDE"]  # upper-case English coordinate names are found too
    lines += [f"{ilce};{ad};{aktif};32.8{i};39.9{i}" for i, (ilce, ad, aktif) in enumerate(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_file(path, mahalleler, user=operator)
    assert (report.imported, report.crs_origin) == (3, "lon/lat columns")
    assert stored(mahalleler) == EXPECTED
    assert mahalleler.rows().get(properties__adı="Işıklar").geom.coords == pytest.approx((32.80, 39.90))


@pytest.mark.parametrize(("written", "flag"), [
    ("DOĞRU", True), ("doğru", True), ("VAR", True), ("E", True), ("True", True), ("1", True),
    ("YANLIŞ", False), ("Yanlış", False), ("YOK", False), ("h", False), ("FALSE", False), ("0", False),
])
def test_every_yes_no_spelling_imports(tmp_path, mahalleler, operator, written, flag):
    path = tmp_path / "tek.csv"
    path.write_text(f"ADI,AKTİF,lon,lat\nIşıklar,{written},32.85,39.93\n", encoding="utf-8")
    import_file(path, mahalleler, user=operator)
    assert mahalleler.rows().get().properties["aktif"] is flag


def test_a_word_that_is_neither_is_refused_not_guessed(tmp_path, mahalleler, operator):
    path = tmp_path / "tek.csv"
    path.write_text("ADI,AKTİF,lon,lat\nIşıklar,belki,32.85,39.93\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as e:
        import_file(path, mahalleler, user=operator)
    assert [(n.row, "aktif" in n.reason) for n in e.value.report.refused] == [(1, True)]

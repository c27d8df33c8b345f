"""Import and export against real PostGIS and real files written with geopandas/pyogrio/GDAL."""

import csv
import io
import json
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.contrib.gis.geos import Point as GPoint
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from pyproj import Transformer
from shapely.geometry import LineString, Point
from shapely.geometry import Polygon as SPolygon

from geo.errors import Forbidden, InvalidCRS, InvalidInput, PayloadTooLarge, UnreadableFile
from geo.models import Change, Feature, Job, Layer, LayerPermission, Right
from geo.services import crs as kcrs
from geo.services.exporter import dbf_names, export_layer
from geo.services.importer import ImportRefused, import_file

TM30 = 5254
TM30_TO_WGS = Transformer.from_crs(TM30, 4326, always_xy=True)
WGS_TO_TM30 = Transformer.from_crs(4326, TM30, always_xy=True)
ANKARA_TM30 = (743638.711, 4425647.725)  # Kızılay, lon 32.85 lat 39.93, in TUREF/TM30


def square(x: float, y: float, size: float) -> SPolygon:
    """An irregular quadrilateral: corners off the round metre so rounding would show."""
    return SPolygon([(x, y), (x + size + 0.123, y + 0.456), (x + size + 0.789, y + size + 0.321),
                     (x - 0.654, y + size + 0.987), (x, y)])


def park_frame() -> gpd.GeoDataFrame:
    x, y = ANKARA_TM30
    return gpd.GeoDataFrame(
        {"Ad": ["Gençlik Parkı", "Kuğulu Park", "Seğmenler Parkı"], "alan": [1250.5, 830.0, 4100.25]},
        geometry=[square(x, y, 40.0), square(x + 310.37, y - 120.11, 25.5), square(x - 800.2, y + 650.9, 90.0)],
        crs=f"EPSG:{TM30}")


def point_frame() -> gpd.GeoDataFrame:
    x, y = ANKARA_TM30
    return gpd.GeoDataFrame({"ad": ["Çeşme", "Saat Kulesi"]},
                            geometry=[Point(x + 12.345, y + 67.891), Point(x - 432.109, y + 876.543)],
                            crs=f"EPSG:{TM30}")


def make_layer(slug: str, family: str, theme: str = "KH", access: str = "public", **kw) -> Layer:
    return Layer.objects.create(slug=slug, title_tr=slug.title(), theme_id=theme, geometry_family=family,
                                access_level=access, **kw)


@pytest.fixture(autouse=True)
def exports_in_tmp_path(tmp_path, monkeypatch) -> None:
    """Export files land in the test's own directory, which pytest cleans up."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))


@pytest.fixture
def points(db) -> Layer:
    return make_layer("cesmeler", "point")


@pytest.fixture
def roads(db) -> Layer:
    return make_layer("yollar", "line", theme="UL")


@pytest.fixture
def operator(db) -> User:
    return User.objects.create_superuser("operator", password="pw")


def metres_apart(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distances between two arrays of lon/lat vertices, measured in TUREF/TM30 metres."""
    ax, ay = WGS_TO_TM30.transform(a[:, 0], a[:, 1])
    bx, by = WGS_TO_TM30.transform(b[:, 0], b[:, 1])
    return np.hypot(ax - bx, ay - by)


def assert_same_place_1cm(original_tm30: gpd.GeoDataFrame, exported_wgs: gpd.GeoDataFrame, key: str) -> None:
    """Every vertex of the export lies within 1 cm of the original, transformed independently."""
    assert exported_wgs.crs.to_epsg() == 4326
    assert len(exported_wgs) == len(original_tm30)
    got_by_key = {row[key]: row.geometry for _, row in exported_wgs.iterrows()}
    for _, row in original_tm30.iterrows():
        original = shapely.get_coordinates(row.geometry)
        expected = np.column_stack(TM30_TO_WGS.transform(original[:, 0], original[:, 1]))
        got = shapely.get_coordinates(got_by_key[row[key]])
        assert got.shape == expected.shape
        assert metres_apart(got, expected).max() <= 0.01
        back = np.column_stack(WGS_TO_TM30.transform(got[:, 0], got[:, 1]))
        assert np.hypot(*(back - original).T).max() <= 0.01


# --- the "Done when" round trip -----------------------------------------------------------------

def test_tm30_geopackage_round_trip_within_1cm(tmp_path, parks, points, editor):
    LayerPermission.objects.create(user=editor, layer=points, right=Right.EDIT_DATA)
    source = tmp_path / "ankara.gpkg"
    parks_tm, points_tm = park_frame(), point_frame()
    pyogrio.write_dataframe(parks_tm, source, layer="parklar")
    pyogrio.write_dataframe(points_tm, source, layer="cesmeler", append=True)
    with pytest.raises(InvalidInput) as e:  # two layers: the user must say which
        import_file(source, parks, user=editor)
    assert e.value.detail["layers"] == ["parklar", "cesmeler"]

    report = import_file(source, parks, user=editor, source_layer="parklar")
    assert (report.rows_read, report.imported, report.crs, report.crs_origin) == (3, 3, "EPSG:5254", "file")
    assert import_file(source, points, user=editor, source_layer="cesmeler").imported == 2
    assert Feature.objects.get(layer=parks, properties__ad="Kuğulu Park").properties["alan"] == 830.0
    assert Change.objects.filter(layer=parks, action="create", user=editor).count() == 3

    for layer, original in ((parks, parks_tm), (points, points_tm)):
        out = export_layer(layer, "gpkg", "EPSG:4326", user=editor)
        exported = pyogrio.read_dataframe(out)
        assert_same_place_1cm(original.rename(columns={"Ad": "ad"}), exported, "ad")
        # and back into TM30 through Kent's own export: still the original vertices
        tm = pyogrio.read_dataframe(export_layer(layer, "gpkg", TM30, user=editor))
        assert tm.crs.to_epsg() == TM30
        for _, row in original.rename(columns={"Ad": "ad"}).iterrows():
            mine = tm[tm["ad"] == row["ad"]].geometry.iloc[0]
            assert np.abs(shapely.get_coordinates(mine) - shapely.get_coordinates(row.geometry)).max() <= 0.01


# --- every format ---------------------------------------------------------------------------------

def test_zipped_shapefile_with_prj_and_turkish_names(tmp_path, parks, editor):
    folder = tmp_path / "shp"
    folder.mkdir()
    pyogrio.write_dataframe(park_frame(), folder / "parklar.shp", encoding="UTF-8")
    archive = tmp_path / "parklar.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for part in folder.iterdir():
            z.write(part, f"veri/{part.name}")
    report = import_file(archive, parks, user=editor)
    assert report.imported == 3 and report.crs == "EPSG:5254"
    assert set(parks.rows().values_list("properties__ad", flat=True)) == {"Gençlik Parkı", "Kuğulu Park",
                                                                          "Seğmenler Parkı"}


def test_geojson_and_kml_import(tmp_path, parks, editor):
    wgs = park_frame().to_crs(4326)
    pyogrio.write_dataframe(wgs, tmp_path / "parklar.geojson", driver="GeoJSON")
    pyogrio.write_dataframe(wgs, tmp_path / "parklar.kml", driver="KML")
    assert import_file(tmp_path / "parklar.geojson", parks, user=editor).imported == 3
    report = import_file(tmp_path / "parklar.kml", parks, user=editor)
    assert report.imported == 3 and report.crs == "EPSG:4326"
    kml_feature = parks.rows().order_by("-pk").first()
    assert "altitudemode" not in kml_feature.properties and kml_feature.properties["ad"]
    assert kml_feature.geom.valid and not kml_feature.geom.hasz


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_dxf_lines_need_a_crs(tmp_path, roads, operator):
    x, y = ANKARA_TM30
    lines = gpd.GeoDataFrame({"Layer": ["yol", "yol"]}, geometry=[
        LineString([(x, y), (x + 120.5, y + 80.25), (x + 300.75, y + 90.5)]),
        LineString([(x, y), (x - 200.125, y - 10.5)])])
    path = tmp_path / "yollar.dxf"
    pyogrio.write_dataframe(lines, path, driver="DXF")
    with pytest.raises(InvalidCRS):
        import_file(path, roads, user=operator)
    report = import_file(path, roads, user=operator, crs="EPSG:5254")
    assert report.imported == 2
    stored = roads.rows().order_by("pk").first()
    assert stored.properties["layer"] == "yol" and "subclasses" not in stored.properties
    expected = np.column_stack(TM30_TO_WGS.transform([x, x + 120.5, x + 300.75], [y, y + 80.25, y + 90.5]))
    assert metres_apart(np.array(stored.geom.coords), expected).max() <= 0.01


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_dxf_closed_polylines_become_parcels(tmp_path, parks, editor):
    outline = square(*ANKARA_TM30, 30.0)
    drawing = gpd.GeoDataFrame({"Layer": ["park"], "Text": ["Kuğulu Park"]},
                               geometry=[LineString(outline.exterior.coords)])
    pyogrio.write_dataframe(drawing, tmp_path / "cizim.dxf", driver="DXF")
    with pytest.raises(ImportRefused):  # the theme requires 'ad', which a drawing lacks
        import_file(tmp_path / "cizim.dxf", parks, user=editor, crs="EPSG:5254")
    parks.theme_id = "AY"  # a theme without required attributes
    parks.save()
    report = import_file(tmp_path / "cizim.dxf", parks, user=editor, crs="EPSG:5254")
    assert report.imported == 1 and any("DXF" in w for w in report.warnings)
    assert parks.rows().get().geom.geom_type == "Polygon"


def test_csv_with_lon_lat_and_with_tm_xy(tmp_path, points, operator):
    lonlat = tmp_path / "cesmeler.csv"
    lonlat.write_text("Ad;Boylam;Enlem;kod\nÇeşme;32,85;39,93;0123\nHavuz;32.86;39.94;\n", encoding="utf-8")
    report = import_file(lonlat, points, user=operator)
    assert (report.imported, report.crs_origin) == (2, "lon/lat columns")
    first = points.rows().get(properties__ad="Çeşme")
    assert first.properties["kod"] == "0123" and first.geom.coords == pytest.approx((32.85, 39.93))
    assert points.rows().get(properties__ad="Havuz").properties["kod"] is None

    x, y = ANKARA_TM30
    xy = tmp_path / "tm30.csv"
    xy.write_text(f"ad,x,y\nA,{x},{y}\nB,{x + 100},{y + 50}\n", encoding="utf-8")
    with pytest.raises(InvalidCRS):
        import_file(xy, points, user=operator)
    assert import_file(xy, points, user=operator, crs="5254").imported == 2
    assert points.rows().get(properties__ad="A").geom.coords == pytest.approx((32.85, 39.93), abs=1e-8)


def test_csv_with_wkt_and_declared_types(tmp_path, parks, editor):
    path = tmp_path / "parklar.csv"
    path.write_text("ad;alan;WKT\n"
                    'Küçük Park;1250,5;"POLYGON ((32.85 39.93, 32.851 39.93, 32.851 39.931, 32.85 39.93))"\n'
                    'Büyük Park;830;"POLYGON ((32.86 39.93, 32.861 39.93, 32.861 39.931, 32.86 39.93))"\n',
                    encoding="utf-8")
    with pytest.raises(InvalidCRS):  # WKT says nothing about its CRS
        import_file(path, parks, user=editor)
    assert import_file(path, parks, user=editor, crs="EPSG:4326").imported == 2
    small, big = (parks.rows().get(properties__ad=n).properties for n in ("Küçük Park", "Büyük Park"))
    assert small == {"ad": "Küçük Park", "alan": 1250.5} and big["alan"] == 830  # 'number' in the schema


def test_ed50_utm36_lands_where_pyproj_puts_it(tmp_path, points, operator):
    utm = [(487211.36, 4420182.88), (488000.25, 4421000.75)]
    frame = gpd.GeoDataFrame({"ad": ["a", "b"]}, geometry=[Point(p) for p in utm], crs="EPSG:23036")
    pyogrio.write_dataframe(frame, tmp_path / "ed50.gpkg")
    assert import_file(tmp_path / "ed50.gpkg", points, user=operator).crs == "EPSG:23036"
    # independently: UTM 36N -> ED50 lon/lat, then EPSG:1784 "ED50 to WGS 84 (30)", made for Türkiye
    ed50 = Transformer.from_crs(23036, 4230, always_xy=True)
    helmert = Transformer.from_pipeline("urn:ogc:def:coordinateOperation:EPSG::1784")  # lat/lon order
    for (ux, uy), name in zip(utm, ["a", "b"], strict=True):
        lon, lat = ed50.transform(ux, uy)
        wlat, wlon = helmert.transform(lat, lon)
        stored = np.array([points.rows().get(properties__ad=name).geom.coords])
        assert metres_apart(stored, np.array([[wlon, wlat]])).max() <= 0.01
        assert metres_apart(stored, np.array([[lon, lat]])).max() > 50  # the datum shift was applied


# --- bad input ------------------------------------------------------------------------------------

def test_garbage_is_unreadable_and_nothing_written(tmp_path, parks, editor):
    bad = tmp_path / "bozuk.gpkg"
    bad.write_bytes(b"\x00\x01 bu bir geopackage degil " * 100)
    with pytest.raises(UnreadableFile) as e:
        import_file(bad, parks, user=editor)
    assert "bozuk.gpkg" in e.value.message
    (tmp_path / "x.txt").write_text("merhaba")
    with pytest.raises(UnreadableFile):
        import_file(tmp_path / "x.txt", parks, user=editor)
    assert Feature.objects.count() == 0 and Change.objects.count() == 0


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_missing_or_contradicted_crs_is_refused(tmp_path, parks, editor):
    no_crs = park_frame().set_crs(None, allow_override=True)
    pyogrio.write_dataframe(no_crs, tmp_path / "nocrs.geojson", driver="GeoJSON")
    with pytest.raises(InvalidCRS) as e:  # GeoJSON without crs would be 4326; TM metres contradict it
        import_file(tmp_path / "nocrs.geojson", parks, user=editor)
    assert "out of range" in e.value.message
    pyogrio.write_dataframe(no_crs, tmp_path / "nocrs.shp")
    with pytest.raises(InvalidCRS) as e:
        import_file(tmp_path / "nocrs.shp", parks, user=editor)
    assert "no CRS" in e.value.message
    pyogrio.write_dataframe(park_frame(), tmp_path / "tm.gpkg")
    with pytest.raises(InvalidCRS) as e:
        import_file(tmp_path / "tm.gpkg", parks, user=editor, crs="EPSG:4326")
    assert "out of range" in e.value.message
    with pytest.raises(InvalidCRS) as e:
        import_file(tmp_path / "tm.gpkg", parks, user=editor, crs="EPSG:32636")
    assert "EPSG:5254" in e.value.message  # lists the supported ones
    assert Feature.objects.count() == 0


def test_self_intersection_repaired_and_reported(tmp_path, parks, editor):
    bowtie = SPolygon([(32.80, 39.90), (32.81, 39.91), (32.81, 39.90), (32.80, 39.91), (32.80, 39.90)])
    ok = SPolygon([(32.82, 39.92), (32.83, 39.92), (32.83, 39.93), (32.82, 39.92)])
    frame = gpd.GeoDataFrame({"ad": ["Sağlam", "Papyon"]}, geometry=[ok, bowtie], crs=4326)
    pyogrio.write_dataframe(frame, tmp_path / "p.gpkg")
    report = import_file(tmp_path / "p.gpkg", parks, user=editor)
    assert report.imported == 2 and len(report.repaired) == 1
    note = report.repaired[0]
    assert (note.row, note.fid) == (2, 2) and "Self-intersection" in note.reason
    repaired = parks.rows().get(properties__ad="Papyon")
    assert repaired.geom.valid and repaired.geom.geom_type == "MultiPolygon"
    assert "onarıldı" in Change.objects.get(object_id=str(repaired.pk)).comment


def test_a_refused_row_refuses_the_file_unless_skipping(tmp_path, parks, editor):
    frame = park_frame()
    frame.loc[1, "Ad"] = None
    pyogrio.write_dataframe(frame, tmp_path / "eksik.gpkg")
    with pytest.raises(ImportRefused) as e:
        import_file(tmp_path / "eksik.gpkg", parks, user=editor)
    refused = e.value.report.refused
    assert [(n.row, n.fid) for n in refused] == [(2, 2)] and "ad" in refused[0].reason
    assert e.value.detail["refused_count"] == 1
    assert Feature.objects.count() == 0 and Change.objects.count() == 0

    report = import_file(tmp_path / "eksik.gpkg", parks, user=editor, skip_invalid=True)
    assert (report.imported, len(report.refused)) == (2, 1)
    assert Feature.objects.filter(layer=parks).count() == 2 and Change.objects.count() == 2


def test_rights_size_and_target_are_checked(tmp_path, parks, editor):
    pyogrio.write_dataframe(park_frame(), tmp_path / "p.gpkg")
    with pytest.raises(Forbidden):
        import_file(tmp_path / "p.gpkg", parks, user=User.objects.create_user("yabanci"))
    with override_settings(KENT_IMPORT_MAX_BYTES=1000), pytest.raises(PayloadTooLarge):
        import_file(tmp_path / "p.gpkg", parks, user=editor)
    typed = make_layer("yapilar", "polygon", theme="BI", source="numarataj.Yapi")
    with pytest.raises(InvalidInput) as e:
        import_file(tmp_path / "p.gpkg", typed, user=None)
    assert "feature-store" in e.value.message
    assert Feature.objects.count() == 0


# --- commands -------------------------------------------------------------------------------------

def test_commands_import_and_export(tmp_path, parks, editor):
    frame = park_frame()
    pyogrio.write_dataframe(frame, tmp_path / "p.gpkg")
    out = io.StringIO()
    call_command("import_layer", str(tmp_path / "p.gpkg"), "--layer", "parklar", "--user", "editor1",
                 stdout=out, stderr=io.StringIO())
    assert "Aktarılan (imported): 3" in out.getvalue()
    assert set(Change.objects.values_list("user__username", flat=True)) == {"editor1"}
    frame.loc[0, "Ad"] = ""
    pyogrio.write_dataframe(frame, tmp_path / "bad.gpkg")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_layer", str(tmp_path / "bad.gpkg"), "--layer", "parklar", stdout=out,
                     stderr=io.StringIO())
    assert "row) 1, fid 1" in out.getvalue()
    target = tmp_path / "out.zip"
    call_command("export_layer", "--layer", "parklar", "--format", "shp", "--crs", "EPSG:5254", "-o", str(target),
                 stdout=io.StringIO())
    back = pyogrio.read_dataframe(f"/vsizip/{target}/parklar.shp")
    assert len(back) == 3 and back.crs.to_epsg() == TM30


# --- web ------------------------------------------------------------------------------------------

def test_web_upload_becomes_a_job(tmp_path, parks, editor, settings):
    """The upload is only checked and staged in the request; the import is a background job
    (tests/geo/test_jobs.py runs it with a real worker)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    pyogrio.write_dataframe(park_frame().to_crs(4326), tmp_path / "parklar.geojson", driver="GeoJSON")
    client = Client()
    url = "/katmanlar/parklar/ice-aktar/"
    assert client.get(url).status_code == 302 and "/accounts/login/" in client.get(url)["Location"]
    assert client.login(username="editor1", password="pw")
    assert client.get(url).status_code == 200
    with (tmp_path / "parklar.geojson").open("rb") as fh:
        response = client.post(url, {"file": fh, "crs": "EPSG:5254"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/isler/{job.pk}/"
    assert (job.kind, job.state, job.params["layer"], job.params["crs"]) == ("layer_import", "queued", "parklar",
                                                                             "EPSG:5254")
    assert Path(job.params["path"]).read_bytes() == (tmp_path / "parklar.geojson").read_bytes()

    with (tmp_path / "parklar.geojson").open("rb") as fh:
        response = client.post(url, {"file": fh}, HTTP_ACCEPT="application/json")
    assert response.status_code == 202 and response.json()["status_url"].endswith("/durum/")
    assert client.post(url, {}, HTTP_ACCEPT="application/json").json()["code"] == "InvalidInput"
    with override_settings(KENT_IMPORT_MAX_BYTES=100), (tmp_path / "parklar.geojson").open("rb") as fh:
        response = client.post(url, {"file": fh})
    assert response.status_code == 413 and "PayloadTooLarge" in response.content.decode()
    assert Job.objects.count() == 2 and not Feature.objects.filter(layer=parks).exists()


def test_web_import_needs_the_edit_right(parks, db):
    User.objects.create_user("okur", password="pw").groups.add(Group.objects.get(name="CBS Editörü"))
    client = Client()
    client.login(username="okur", password="pw")
    assert client.get("/katmanlar/parklar/ice-aktar/").status_code == 403


def test_anonymous_csv_download_of_a_public_layer(tmp_path, parks, editor):
    pyogrio.write_dataframe(park_frame(), tmp_path / "p.gpkg")
    import_file(tmp_path / "p.gpkg", parks, user=editor)
    response = Client().get("/katmanlar/parklar/disa-aktar/", {"format": "csv", "crs": "EPSG:5254"})
    assert response.status_code == 200 and "parklar_epsg5254.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert {r["ad"] for r in rows} == {"Gençlik Parkı", "Kuğulu Park", "Seğmenler Parkı"}
    first = shapely.from_wkt(rows[0]["wkt"])
    assert first.bounds[0] > 700000  # TM30 metres, not degrees
    parks.access_level = "internal"
    parks.save()
    response = Client().get("/katmanlar/parklar/disa-aktar/", {"format": "csv"})
    assert response.status_code == 401 and response.json()["code"] == "NotAuthenticated"
    assert Client().get("/katmanlar/parklar/disa-aktar/", {"format": "xls"}).status_code == 400


# --- export of a typed-model layer and of every format -------------------------------------------

@pytest.fixture
def buildings(db) -> Layer:
    from numarataj.models import Il, Ilce, Mahalle, Yapi

    block = Polygon.from_bbox((32.84, 39.92, 32.86, 39.94))
    mahalle = Mahalle.objects.create(ilce=Ilce.objects.create(il=Il.objects.create(ad="Ankara", plaka=6),
                                                              ad="Çankaya"),
                                     ad="Kızılay", geom=MultiPolygon(block, srid=4326))
    footprint = Polygon(((32.8501, 39.9301), (32.8504, 39.9301), (32.8504, 39.9303), (32.8501, 39.9301)), srid=4326)
    Yapi.objects.create(mahalle=mahalle, ad="Belediye Sarayı", maks_id="MAKS-1", kat_ust=7, kullanim="kamu",
                        geom=MultiPolygon(footprint, srid=4326))
    return make_layer("yapilar", "polygon", theme="BI", source="numarataj.Yapi")


@pytest.mark.parametrize("fmt", ["gpkg", "geojson", "shp", "csv"])
def test_typed_model_layer_exports_every_format(fmt, buildings, operator):
    out = export_layer(buildings, fmt, "EPSG:5255", user=operator)
    if fmt == "csv":
        frame = gpd.read_file(out, engine="pyogrio", GEOM_POSSIBLE_NAMES="wkt", KEEP_GEOM_COLUMNS="NO")
        frame = frame.set_crs(5255)
    else:
        frame = pyogrio.read_dataframe(out)
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row["ad"] == "Belediye Sarayı" and str(row["kullanim"]) == "kamu" and int(row["kat_ust"]) == 7
    assert "mahalle_id" in frame.columns and frame.crs.to_epsg() == 5255
    # normalized: a shapefile stores outer rings clockwise, so GDAL may turn the ring around
    to_wgs = Transformer.from_crs(5255, 4326, always_xy=True)
    got = shapely.get_coordinates(shapely.normalize(shapely.transform(row.geometry, lambda xy: np.column_stack(
        to_wgs.transform(xy[:, 0], xy[:, 1])))))
    expected = shapely.get_coordinates(shapely.normalize(shapely.from_wkt(
        "POLYGON ((32.8501 39.9301, 32.8504 39.9301, 32.8504 39.9303, 32.8501 39.9301))")))
    assert metres_apart(got, expected).max() <= 0.01


def test_export_formats_of_a_feature_store_layer(parks, operator):
    long_names = {"ad": "Gençlik Parkı", "yazildigi_gibi_uzun": "a", "yazildigi_gibi_kisa": "b",
                  "ağaç_sayısı_toplam": 12, "etiketler": ["çim", "havuz"]}
    Feature.objects.create(layer=parks, geom=Polygon.from_bbox((32.85, 39.93, 32.851, 39.931)), properties=long_names)
    with zipfile.ZipFile(export_layer(parks, "shp", TM30, user=operator)) as z:
        names = set(z.namelist())
        assert {"parklar.shp", "parklar.shx", "parklar.dbf", "parklar.prj", "parklar.cpg"} <= names
        assert z.read("parklar.cpg").decode().strip().upper() in {"UTF-8", "UTF8"}
    mapping = dbf_names(["kent_id", *long_names])
    assert all(len(n.encode()) <= 10 for n in mapping.values()) and len(set(mapping.values())) == len(mapping)
    geojson = json.loads(export_layer(parks, "geojson", TM30, user=operator).read_text())
    assert "5254" in geojson["crs"]["properties"]["name"]  # named, since RFC 7946 assumes 4326
    props = geojson["features"][0]["properties"]
    tags = props["etiketler"]  # JSON text; GDAL writes text that is a JSON array as the array itself
    assert (json.loads(tags) if isinstance(tags, str) else tags) == ["çim", "havuz"] and props["kent_id"] > 0
    with pytest.raises(InvalidCRS):
        export_layer(parks, "gpkg", "EPSG:2000", user=operator)


def test_exported_csv_imports_again(tmp_path, points, operator):
    Feature.objects.create(layer=points, geom=GPoint(32.85, 39.93, srid=4326), properties={"ad": "Çeşme", "no": 3})
    out = export_layer(points, "csv", 4326, user=operator)
    target = tmp_path / "geri.csv"
    target.write_bytes(out.read_bytes())
    report = import_file(target, points, user=operator)
    assert report.imported == 1 and report.crs_origin == "lon/lat columns"
    again = points.rows().order_by("-pk").first()
    assert "wkt" not in again.properties and again.properties["no"] == "3"  # CSV values are text
    assert again.properties["ad"] == "Çeşme" and again.geom.coords == pytest.approx((32.85, 39.93), abs=1e-9)


def test_parse_crs_spellings():
    wkt = kcrs.CRS.from_epsg(TM30).to_wkt("WKT1_ESRI")
    for spelling in ("EPSG:5254", "5254", 5254, "urn:ogc:def:crs:EPSG::5254", wkt):
        assert kcrs.srid_of(kcrs.parse_crs(spelling)) == TM30
    assert kcrs.srid_of(kcrs.parse_crs("EPSG:8995")) == 8995  # ITRF96 lon/lat
    with pytest.raises(InvalidCRS) as e:
        kcrs.parse_crs("EPSG:32636")
    assert "EPSG:23036" in e.value.message and len(e.value.detail["supported"]) == len(kcrs.SUPPORTED)
    assert kcrs.transformer(TM30, 4326) is kcrs.transformer(TM30, 4326)


def test_rows_outside_turkey_warn(tmp_path, points, operator):
    swapped = gpd.GeoDataFrame({"ad": ["ters"]}, geometry=[Point(39.93, 32.85)], crs=4326)  # lat/lon swapped
    pyogrio.write_dataframe(swapped, tmp_path / "ters.geojson", driver="GeoJSON")
    report = import_file(tmp_path / "ters.geojson", points, user=operator)
    assert any("Türkiye" in w for w in report.warnings)

"""Vector tiles: read back by GDAL's MVT driver and mapbox_vector_tile; 204, 400, 401/403, 404."""

import subprocess

import mapbox_vector_tile
import pytest
import requests
from django.db import connection
from django.test import Client

from geo.models import Layer, LayerPermission, Right
from geo.services.features import create_feature
from numarataj.services.register import write_row
from tiles import grid, mvt
from tiles.access import TILE_FIELDS, layer_by_slug
from tiles.mvt import render_mvt, tile_sql

from .conftest import box, live_data, lonlat, tile_at


def _ogrinfo(url_or_path: str) -> str:
    return subprocess.run(["ogrinfo", "-ro", "-al", url_or_path], capture_output=True, text=True, check=True).stdout


@live_data
def test_gdal_mvt_driver_reads_kent_tile(district, live_url):
    z, x, y = tile_at(150, 200, 16)
    url = live_url(f"/tiles/yapilar/{z}/{x}/{y}.mvt")
    assert requests.get(url, timeout=30).headers["Content-Type"] == "application/vnd.mapbox-vector-tile"
    out = _ogrinfo(f"/vsicurl/{url}")  # GDAL takes z/x/y from the path to place the tile
    assert "Layer name: yapilar" in out
    assert "kat_ust (Integer" in out and "Alfa Apartmanı" in out
    count = int(out.split("Feature Count: ")[1].split()[0])
    decoded = mapbox_vector_tile.decode(requests.get(url, timeout=30).content)
    assert len(decoded["yapilar"]["features"]) == count > 0


@pytest.mark.django_db
def test_feature_store_properties_become_attributes(district, tmp_path):
    z, x, y = tile_at(640, 460, 16)
    data = render_mvt(district.layers["parklar"], z, x, y)
    tile = tmp_path / str(z) / str(x) / f"{y}.mvt"  # the MVT driver also opens a single z/x/y file
    tile.parent.mkdir(parents=True)
    tile.write_bytes(data)
    out = _ogrinfo(str(tile))
    assert "ad (String) = Gençlik Parkı" in out
    assert "alan_m2 (Integer" in out and "25600" in out
    feature = mapbox_vector_tile.decode(data)["parklar"]["features"][0]
    assert feature["properties"] == {"ad": "Gençlik Parkı", "alan_m2": 25600}


@pytest.mark.django_db
def test_counts_match_the_buildings(district):
    """Every building comes out once per tile it touches; over the district's tiles, all 36 do."""
    (w, s), (e, n) = lonlat(0, 0), lonlat(1000, 600)
    x0, y0, x1, y1 = grid.tile_range((w, s, e, n), 15)
    ids = set()
    for tx in range(x0, x1 + 1):
        for ty in range(y0, y1 + 1):
            data = render_mvt(district.layers["yapilar"], 15, tx, ty)
            ids |= {f["id"] for f in mapbox_vector_tile.decode(data)["yapilar"]["features"]} if data else set()
    assert ids == {y.pk for y in district.yapilar}


@pytest.mark.django_db
def test_tile_sql_keeps_postgis_on_the_fast_path(district):
    sql, params = tile_sql(district.layers["yapilar"], 12, 2421, 1551)
    assert "EPSG" not in sql.upper().replace("ST_TRANSFORM(ST_TILEENVELOPE", "")
    assert "ST_Transform(ST_TileEnvelope(%s, %s, %s, margin => %s), 4326)" in sql  # envelope once, to storage
    assert "ST_Simplify" in sql  # low zoom: simplified
    assert "ST_Simplify" not in tile_sql(district.layers["yapilar"], 16, 38742, 24827)[0]


def test_prepare_numbers_placeholders_outside_literals_only():
    sql = "SELECT %s, '%s', 'a''%%b', 100 %% 7, %s"
    assert mvt._numbered(sql) == "SELECT $1, '%s', 'a''%%b', 100 % 7, $2"


def _prepared_names() -> list[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'kent_mvt_%%' ORDER BY name")
        return [r[0] for r in cur.fetchall()]


def _unprepared(layer, z: int, x: int, y: int) -> bytes | None:
    sql, params = tile_sql(layer, z, x, y)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return bytes(cur.fetchone()[0] or b"") or None


@live_data  # closes the connection, so no test transaction around it
def test_prepared_tiles_equal_the_plain_query_and_survive_a_reconnect(district):
    """From z14 the tile query is a prepared statement, one per layer (not per tile); its bytes are
    those of the plain query, and a new database session prepares it again."""
    connection.close()
    assert _prepared_names() == []
    tiles = [tile_at(150, 200, z) for z in (14, 16, 18)] + [tile_at(850, 300, 16)]
    for layer in (district.layers["yapilar"], district.layers["parklar"]):
        for t in tiles:
            assert render_mvt(layer, *t) == _unprepared(layer, *t)
    assert len(_prepared_names()) == 2  # yapilar, parklar
    assert render_mvt(district.layers["mahalleler"], *tile_at(500, 300, 12)) == _unprepared(
        district.layers["mahalleler"], *tile_at(500, 300, 12))
    assert len(_prepared_names()) == 2  # below z14 each tile is planned for its envelope
    connection.close()
    assert render_mvt(district.layers["yapilar"], *tiles[1]) == _unprepared(district.layers["yapilar"], *tiles[1])
    assert len(_prepared_names()) == 1


@pytest.mark.django_db
def test_tiny_features_dropped_at_low_zoom(district):
    z, x, y = tile_at(500, 300, 9)
    low = mapbox_vector_tile.decode(render_mvt(district.layers["mahalleler"], z, x, y) or b"")
    assert len(low["mahalleler"]["features"]) == 2  # 500 m mahalleler stay
    assert render_mvt(district.layers["yapilar"], z, x, y) is None  # 20 m buildings are specks at z9


@pytest.mark.django_db
def test_the_tile_lookup_reads_the_layer_row_as_the_orm_does(district):
    """Tiles load a layer with one fixed SQL string; its fields must come out as the ORM gives them
    (a JSON field as a dict, not its text)."""
    layer = district.layers["yapilar"]
    fields = TILE_FIELDS & {f.attname for f in layer._meta.concrete_fields}
    if "source_filter" in fields:
        Layer.objects.filter(pk=layer.pk).update(source_filter={"kat_ust": 8})
    fast, orm = layer_by_slug("yapilar"), Layer.objects.get(slug="yapilar")
    assert {f: getattr(fast, f) for f in fields} == {f: getattr(orm, f) for f in fields}
    assert layer_by_slug("yok-boyle") is None


@pytest.mark.django_db
def test_an_uncached_public_vector_tile_costs_two_queries(district, settings, django_assert_num_queries):
    """The layer row (with every field the tile SQL needs: none loads afterwards) and the tile."""
    settings.KENT_TILE_CACHE_MVT = False
    c = Client()
    for slug, (x, y) in (("parklar", (640, 460)), ("yapilar", (150, 200))):
        assert c.get("/tiles/{}/{}/{}/{}.mvt".format(slug, *tile_at(x, y, 16))).status_code == 200  # prepares
        with django_assert_num_queries(2):
            assert c.get("/tiles/{}/{}/{}/{}.mvt".format(slug, *tile_at(x, y, 17))).status_code == 200


@pytest.mark.django_db
def test_status_codes(district):
    c = Client()
    z, x, y = tile_at(150, 200, 16)
    assert c.get(f"/tiles/yapilar/{z}/{x}/{y}.mvt").status_code == 200
    empty = c.get("/tiles/yapilar/16/1/1.mvt")
    assert empty.status_code == 204 and empty.content == b""
    bad = c.get("/tiles/yapilar/40/1/1.mvt")
    assert bad.status_code == 400 and "22" in bad.json()["description"]
    out = c.get("/tiles/yapilar/3/8/0.mvt")
    assert out.status_code == 400 and "x and y must be between 0 and 7" in out.json()["description"]
    assert c.get("/tiles/yok-boyle/1/0/0.mvt").status_code == 404
    assert c.get(f"/tiles/afet-noktalari/{z}/{x}/{y}.mvt").status_code == 401
    assert c.get(f"/tiles/taslak/{z}/{x}/{y}.mvt").status_code == 401  # unpublished: not public


@pytest.mark.django_db
def test_agency_layer_needs_the_view_right(district, django_user_model):
    user = django_user_model.objects.create_user("kurum", password="pw")
    c = Client()
    c.force_login(user)
    z, x, y = tile_at(300, 150, 16)
    url = f"/tiles/afet-noktalari/{z}/{x}/{y}.mvt"
    assert c.get(url).status_code == 403
    LayerPermission.objects.create(user=user, layer=district.layers["afet-noktalari"], right=Right.VIEW)
    response = Client()
    response.force_login(user)
    ok = response.get(url)
    assert ok.status_code == 200 and "private" in ok["Cache-Control"]
    assert mapbox_vector_tile.decode(ok.content)["afet-noktalari"]["features"][0]["properties"]["risk_turu"] == "deprem"


@pytest.mark.django_db
def test_cached_vector_tile_follows_an_edit(district, django_capture_on_commit_callbacks):
    """The MVT cache (an empty tile is cached too) is dropped for the bbox of an edit: history
    row -> post_save -> on commit -> files gone, so the next request reads the database."""
    z, x, y = tile_at(100, 560, 17)  # far from the existing park
    url = f"/tiles/parklar/{z}/{x}/{y}.mvt"
    c = Client()
    assert c.get(url).status_code == 204
    assert c.get(url).status_code == 204  # now from the cache
    with django_capture_on_commit_callbacks(execute=True):
        create_feature(district.layers["parklar"], box(80, 540, 120, 580), {"ad": "Yeni Park"}, user=district.admin)
    after = c.get(url)
    assert after.status_code == 200
    names = [f["properties"]["ad"] for f in mapbox_vector_tile.decode(after.content)["parklar"]["features"]]
    assert names == ["Yeni Park"]


@pytest.mark.django_db
def test_a_register_edit_refreshes_the_typed_layer(district, django_capture_on_commit_callbacks):
    """A Yapı moved through numarataj's register service: both the old and the new place refresh."""
    yapi = district.yapilar[0]  # local x 40..60, y 60..80
    old_tile, new_tile = tile_at(50, 70, 18), tile_at(930, 560, 18)
    c = Client()
    ids = lambda t: {f["id"] for f in mapbox_vector_tile.decode(  # noqa: E731
        c.get("/tiles/yapilar/{}/{}/{}.mvt".format(*t)).content or b"").get("yapilar", {}).get("features", [])}
    assert yapi.pk in ids(old_tile) and yapi.pk not in ids(new_tile)
    yapi.geom = box(920, 550, 940, 570)
    with django_capture_on_commit_callbacks(execute=True):
        write_row(yapi, user=district.admin)
    assert yapi.pk not in ids(old_tile) and yapi.pk in ids(new_tile)

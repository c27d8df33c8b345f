"""OGC API Tiles: the tile matrix set, tilesets and their metadata, the tiles themselves (the very
bytes of /tiles/), errors, agency tokens with the access log, links, the OpenAPI document; and
independent clients over real HTTP: GDAL's OGCAPI driver (pyogrio's GDAL, which reads vector
tilesets; Debian 12's GDAL 3.6 OGCAPI driver never builds vector-tile layers) and GDAL's MVT
driver (Debian's ogrinfo) reading one tile URL from the item template."""

import json
import math
import subprocess
import sys
from pathlib import Path

import mapbox_vector_tile
import pytest
import requests
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openapi_spec_validator import validate
from pyproj import Transformer

from geo.models import AgencyAccessLog, Feature, Layer

from .conftest import live_data

TMS = "WebMercatorQuad"
MVT = "application/vnd.mapbox-vector-tile"
REL = "http://www.opengis.net/def/rel/ogc/1.0/"
HALF_WORLD = 20037508.3427892  # the OGC registry's WebMercatorQuad pointOfOrigin
CELL_SIZE_0 = 156543.033928041  # and its tile matrix 0 cell size
MARGIN = 64 / 4096  # the MVT buffer, as a share of a tile


@pytest.fixture(autouse=True)
def tile_cache(settings, tmp_path) -> Path:  # noqa: ANN001 - pytest-django's settings fixture
    settings.KENT_TILE_CACHE = str(tmp_path / "tilecache")
    return Path(settings.KENT_TILE_CACHE)


def tiles_url(slug: str, *parts: object) -> str:
    return "/".join([f"/ogc/collections/{slug}/tiles", *map(str, parts)])


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """(col, row) of the Web Mercator tile holding a point (the slippy-map formula)."""
    n = 2 ** z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def a_point_of(layer: Layer) -> tuple[float, float]:
    with connection.cursor() as cur:
        cur.execute("SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p FROM geo_feature "
                    "WHERE layer_id = %s ORDER BY id LIMIT 1) s", [layer.pk])
        return cur.fetchone()


def ids_in_tile(layer: Layer, z: int, col: int, row: int, margin: float = 0.0) -> set[int]:
    """Features of the layer touching the tile (grown by `margin` tiles), straight from PostGIS."""
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM geo_feature WHERE layer_id = %s AND ST_Intersects(ST_Transform(geom, 3857), "
                    "ST_TileEnvelope(%s, %s, %s, margin => %s))", [layer.pk, z, col, row, margin])
        return {r[0] for r in cur.fetchall()}


def readers(world) -> list[tuple[Layer, str, str | None]]:  # noqa: ANN001 - the conftest World
    """A public layer read without a token and an agency layer read with the token that covers it."""
    return [(world.buildings, "binalar", None), (world.risky, "riskli-yapilar", world.utility_token)]


def decoded(data: bytes) -> dict:
    return mapbox_vector_tile.decode(data)


def link(doc: dict, rel: str) -> dict:
    return next(x for x in doc["links"] if x["rel"] == rel)


def test_tile_matrix_sets_list_and_the_web_mercator_quad_definition(world, api):
    listing = api.get("/ogc/tileMatrixSets")
    assert listing.status_code == 200 and listing["Content-Type"].startswith("application/json")
    [item] = listing.json()["tileMatrixSets"]
    assert item["id"] == TMS and item["uri"] == "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
    tms = api.get(link(item, "self")["href"].replace("http://testserver", "")).json()
    assert tms["crs"] == "http://www.opengis.net/def/crs/EPSG/0/3857" and tms["orderedAxes"] == ["X", "Y"]
    matrices = tms["tileMatrices"]
    assert [m["id"] for m in matrices] == [str(z) for z in range(25)]
    assert matrices[0]["cellSize"] == pytest.approx(CELL_SIZE_0, rel=1e-12)
    for z, m in enumerate(matrices):
        assert m["matrixWidth"] == m["matrixHeight"] == 2 ** z and m["tileWidth"] == m["tileHeight"] == 256
        assert m["cellSize"] * 256 * 2 ** z == pytest.approx(2 * HALF_WORLD, rel=1e-12)
        assert m["scaleDenominator"] == pytest.approx(m["cellSize"] / 0.00028, rel=1e-12)
        assert m["pointOfOrigin"] == pytest.approx([-HALF_WORLD, HALF_WORLD], rel=1e-12)
    unknown = api.get("/ogc/tileMatrixSets/WorldCRS84Quad")
    assert unknown.status_code == 404 and unknown.json()["code"] == "NotFound"
    as_html = api.get("/ogc/tileMatrixSets", {"f": "html"})
    assert as_html.status_code == 400


def test_tilesets_list_and_tileset_metadata(world, api):
    listing = api.get(tiles_url("binalar")).json()
    [summary] = listing["tilesets"]
    assert summary["dataType"] == "vector" and summary["crs"].endswith("/EPSG/0/3857")
    assert summary["tileMatrixSetURI"].endswith("/WebMercatorQuad")
    assert api.get(link(summary, f"{REL}tiling-scheme")["href"].replace("http://testserver", "")).status_code == 200
    tileset = api.get(link(summary, "self")["href"].replace("http://testserver", "")).json()
    item = link(tileset, "item")
    assert item["type"] == MVT and item["templated"] is True
    assert item["href"].endswith(f"/ogc/collections/binalar/tiles/{TMS}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}?f=mvt")
    [layer] = tileset["layers"]
    assert layer["id"] == "binalar" and layer["dataType"] == "vector" and layer["geometryDimension"] == 2
    published = set(api.get("/ogc/collections/binalar/schema").json()["properties"]) - {"geometry"}
    assert set(layer["propertiesSchema"]["properties"]) == published and "malik_adi" not in published
    assert layer["propertiesSchema"]["properties"]["kat"] == {"type": "integer"}
    collection = api.get("/ogc/collections/binalar").json()
    minlon, minlat, maxlon, maxlat = collection["extent"]["spatial"]["bbox"][0]
    assert [entry["tileMatrix"] for entry in tileset["tileMatrixSetLimits"]] == [str(z) for z in range(23)]
    for entry in tileset["tileMatrixSetLimits"]:
        z = int(entry["tileMatrix"])
        (col0, row0), (col1, row1) = tile_of(minlon, maxlat, z), tile_of(maxlon, minlat, z)
        assert (entry["minTileCol"], entry["minTileRow"], entry["maxTileCol"], entry["maxTileRow"]) == (
            col0, row0, col1, row1), z
    to_3857 = Transformer.from_crs(4326, 3857, always_xy=True)
    box = tileset["boundingBox"]
    assert box["lowerLeft"] == pytest.approx(to_3857.transform(minlon, minlat))
    assert box["upperRight"] == pytest.approx(to_3857.transform(maxlon, maxlat))
    assert tileset["accessConstraints"] == "unclassified" and tileset["mediaTypes"] == [MVT]
    typed = api.get(tiles_url("yapilar", TMS)).json()["layers"][0]
    assert set(typed["propertiesSchema"]["properties"]) == set(
        api.get("/ogc/collections/yapilar/schema").json()["properties"]) - {"geometry"}


def test_a_tile_is_the_tile_of_the_tiles_endpoint(world, api, settings, tile_cache):
    z = 16
    col, row = tile_of(*a_point_of(world.buildings), z)
    response = api.get(tiles_url("binalar", TMS, z, row, col))
    assert response.status_code == 200 and response["Content-Type"] == MVT
    [(name, layer)] = decoded(response.content).items()
    assert name == "binalar"
    ids = {f["id"] for f in layer["features"]}
    assert ids_in_tile(world.buildings, z, col, row) <= ids <= ids_in_tile(world.buildings, z, col, row, MARGIN)
    cached = tile_cache / "mvt" / "binalar" / str(z) / str(col) / f"{row}.mvt"
    assert cached.read_bytes() == response.content  # one cache with /tiles/
    again = api.get(tiles_url("binalar", TMS, z, row, col), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    settings.ROOT_URLCONF = "kent.urls"
    assert api.get(f"/tiles/binalar/{z}/{col}/{row}.mvt").content == response.content


def test_a_cached_public_tile_costs_one_query(world, api):
    z = 15
    col, row = tile_of(*a_point_of(world.buildings), z)
    assert api.get(tiles_url("binalar", TMS, z, row, col)).status_code == 200  # renders and caches
    with CaptureQueriesContext(connection) as queries:
        assert api.get(tiles_url("binalar", TMS, z, row, col)).status_code == 200
    assert len(queries) == 1, [q["sql"][:80] for q in queries]  # the registry stamp


def test_empty_tiles_and_bad_tile_requests(world, api):
    col, row = tile_of(26.0, 41.0, 12)  # far from the district: no feature
    empty = api.get(tiles_url("binalar", TMS, 12, row, col))
    assert empty.status_code == 204 and empty.content == b""
    too_deep = api.get(tiles_url("binalar", TMS, 40, 0, 0))
    assert too_deep.status_code == 400 and too_deep.json()["code"] == "InvalidParameterValue"
    assert "22" in too_deep.json()["description"] and "(" in too_deep.json()["description"]
    assert api.get(tiles_url("binalar", TMS, 3, 0, 8)).status_code == 400  # column 8 of an 8-wide matrix
    assert api.get(tiles_url("binalar", TMS, 3, -1, 0)).status_code == 400
    not_a_number = api.get(tiles_url("binalar", TMS, "on", 0, 0))
    assert not_a_number.status_code == 400 and "tileMatrix" in not_a_number.json()["description"]
    assert api.get(tiles_url("binalar", TMS, 0, 0, 0), {"f": "png"}).status_code == 400
    assert api.get(tiles_url("binalar", "WorldCRS84Quad", 0, 0, 0)).status_code == 404
    assert api.get(tiles_url("binalar", "WorldCRS84Quad")).status_code == 404
    for slug in ("yok-boyle-katman", "ic-katman", "taslak", "tespit-talepleri", "katalog"):
        assert api.get(tiles_url(slug)).status_code == 404, slug
        assert api.get(tiles_url(slug, TMS, 0, 0, 0)).status_code == 404, slug


def test_agency_tiles_need_the_right_token_and_are_logged(world, api):
    AgencyAccessLog.objects.all().delete()
    z = 16
    col, row = tile_of(*a_point_of(world.risky), z)
    url = tiles_url("riskli-yapilar", TMS, z, row, col)
    assert api.get(url).status_code == 401
    assert api.get(url, HTTP_AUTHORIZATION=f"Bearer {world.afad_token}").status_code == 403
    right = api.get(url, {"token": world.utility_token})
    assert right.status_code == 200 and right["Cache-Control"] == "private, no-cache"
    got = {f["id"] for f in decoded(right.content)["riskli-yapilar"]["features"]}
    assert ids_in_tile(world.risky, z, col, row) <= got
    log = list(AgencyAccessLog.objects.order_by("id").values_list("account__name", "collection", "status", "features"))
    assert log == [(None, "riskli-yapilar", 401, None), ("AFAD Ankara", "riskli-yapilar", 403, None),
                   ("Başkent Doğalgaz", "riskli-yapilar", 200, None)]
    assert all("token" not in path and path.startswith("/ogc/collections/riskli-yapilar/tiles/")
               for path in AgencyAccessLog.objects.values_list("path", flat=True))
    assert api.get(tiles_url("riskli-yapilar")).status_code == 401
    assert api.get(tiles_url("riskli-yapilar", TMS), HTTP_X_KENT_TOKEN=world.afad_token).status_code == 403
    tileset = api.get(tiles_url("riskli-yapilar", TMS), {"token": world.utility_token}).json()
    assert tileset["accessConstraints"] == "restricted"
    assert f"token={world.utility_token}" in link(tileset, "item")["href"]  # followable with the token as given


def test_tiles_carry_only_published_attributes(world, api):
    z = 16
    for layer, slug, token in readers(world):
        col, row = tile_of(*a_point_of(layer), z)
        response = api.get(tiles_url(slug, TMS, z, row, col), {"token": token} if token else {})
        published = set(api.get(tiles_url(slug, TMS), {"token": token} if token else {}).json()["layers"][0][
            "propertiesSchema"]["properties"])
        keys = {k for f in decoded(response.content)[slug]["features"] for k in f["properties"]}
        assert keys <= published, slug


def test_links_landing_collections_conformance_and_html(world, api):
    landing = api.get("/ogc/").json()
    schemes = [x for x in landing["links"] if x["rel"] == f"{REL}tiling-schemes"]
    assert len(schemes) == 1 and schemes[0]["href"].endswith("/ogc/tileMatrixSets?f=json")
    assert api.get(schemes[0]["href"].replace("http://testserver", "")).status_code == 200
    listed = {c["id"]: c for c in api.get("/ogc/collections").json()["collections"]}
    for slug, collection in listed.items():
        vector = [x for x in collection["links"] if x["rel"] == f"{REL}tilesets-vector"]
        assert len(vector) == (0 if slug == "katalog" else 1), slug
        if vector:
            assert api.get(vector[0]["href"].replace("http://testserver", "")).status_code == 200
    one = api.get("/ogc/collections/yapilar").json()
    assert link(one, f"{REL}tilesets-vector")["href"].endswith("/ogc/collections/yapilar/tiles?f=json")
    conforms = set(api.get("/ogc/conformance").json()["conformsTo"])
    assert {f"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/{c}" for c in
            ("core", "tileset", "tilesets-list", "geodata-tilesets", "mvt", "oas30")} <= conforms
    assert "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset" in conforms
    assert "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/dataset-tilesets" not in conforms
    assert api.get("/ogc/collections/binalar", {"f": "html"}, HTTP_ACCEPT="text/html").status_code == 200


def test_openapi_document_describes_the_tiles(world, api):
    doc = api.get("/ogc/openapi", {"f": "json"}).json()
    validate(doc)
    assert '"$ref": "http' not in json.dumps(doc)
    paths = doc["paths"]
    tile_path = "/collections/binalar/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}"
    assert {"/tileMatrixSets", "/tileMatrixSets/{tileMatrixSetId}", "/collections/binalar/tiles",
            "/collections/binalar/tiles/{tileMatrixSetId}", tile_path} <= set(paths)
    assert paths[tile_path]["get"]["operationId"].endswith(".collection.vector.getTile")
    assert paths["/collections/binalar/tiles"]["get"]["operationId"].endswith(".collection.vector.getTileSetsList")
    assert MVT in doc["components"]["responses"]["kentTile"]["content"]
    assert "/collections/katalog/tiles" not in paths and "/collections/toplanma-alanlari/tiles" not in paths
    with_token = api.get("/ogc/openapi", {"f": "json"}, HTTP_AUTHORIZATION=f"Bearer {world.afad_token}").json()
    validate(with_token)
    assert "/collections/toplanma-alanlari/tiles" in with_token["paths"]


GDAL_READER = """
import json, sys
import pyogrio.raw as raw
url, layer, options = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
meta, fids, geometries, fields = raw.read(url, layer=layer, **options)
names = list(meta["fields"])
print(json.dumps({"names": names, "rows": [{n: (None if v is None else str(v)) for n, v in zip(names, row)}
                                          for row in zip(*fields)]}))
"""


@live_data
def test_gdal_ogcapi_driver_reads_the_vector_tiles(live_server, world):
    """GDAL follows collection -> tilesets-vector -> tileset -> tiling-scheme and item links and reads
    every tile of one zoom; the features it gets are the layer's rows with their attributes. The
    driver computes tile ranges from the extent without reprojecting it, so the extent is handed
    over in the tile matrix set's CRS (its MINX..MAXY open options), from the tileset metadata."""
    base = f"{live_server.url}/ogc"
    box = requests.get(f"{base}/collections/binalar/tiles/{TMS}", timeout=30).json()["boundingBox"]
    (minx, miny), (maxx, maxy) = box["lowerLeft"], box["upperRight"]
    options = {"API": "TILES", "MINX": str(minx), "MINY": str(miny), "MAXX": str(maxx), "MAXY": str(maxy)}
    done = subprocess.run([sys.executable, "-c", GDAL_READER, f"OGCAPI:{base}/collections/binalar", "Zoom level 16",
                           json.dumps(options)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = json.loads(done.stdout)["rows"]
    by_id = {int(r["mvt_id"]): r for r in rows}
    truth = {f.pk: f.properties for f in Feature.objects.filter(layer=world.buildings)}
    assert set(by_id) == set(truth)
    for pk, row in by_id.items():
        assert row["building"] == truth[pk].get("building") and row["name"] == truth[pk].get("name")
        assert row["kat"] == str(truth[pk]["kat"])


@live_data
def test_gdal_mvt_driver_reads_one_tile_from_the_item_template(live_server, world):
    base = f"{live_server.url}/ogc"
    z = 16
    for layer, slug, token in readers(world):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        tileset = requests.get(f"{base}/collections/{slug}/tiles/{TMS}", headers=headers, timeout=30).json()
        col, row = tile_of(*a_point_of(layer), z)
        url = link(tileset, "item")["href"].format(tileMatrix=z, tileRow=row, tileCol=col)
        cmd = ["ogrinfo", "-ro", "-al", "-q", "-geom=NO", f"MVT:/vsicurl_streaming/{url}", "-oo", f"X={col}",
               "-oo", f"Y={row}", "-oo", f"Z={z}"]
        if token:
            cmd[1:1] = ["--config", "GDAL_HTTP_HEADERS", f"Authorization: Bearer {token}"]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        ids = {int(line.split("=", 1)[1]) for line in done.stdout.splitlines() if line.strip().startswith("mvt_id")}
        assert ids_in_tile(layer, z, col, row) <= ids <= ids_in_tile(layer, z, col, row, MARGIN), slug
    refused = subprocess.run(["ogrinfo", "-ro", "-so", f"MVT:/vsicurl_streaming/{url}", "-oo", f"X={col}"],
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0  # the agency tile without its token

"""The tiling scheme of Kent's OGC API Tiles: WebMercatorQuad (OGC 17-083r4, the 2D Tile Matrix Set
standard 2.0), which is the XYZ grid /tiles/ already cuts. Its definition is computed from that
grid (tiles.grid) rather than kept as a 25-row table, so the two cannot drift apart; the limits
of a lon/lat extent per zoom come from the same grid arithmetic the tile cache uses."""

import functools
import json
from typing import Any

from django.http import HttpResponse

from tiles.grid import HALF_WORLD, MAX_ZOOM, resolution, tile_range

WEB_MERCATOR_QUAD = "WebMercatorQuad"
TMS_URI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
TMS_TITLE = "Google Maps Compatible for the World"
CRS_3857 = "http://www.opengis.net/def/crs/EPSG/0/3857"
WELL_KNOWN_SCALE_SET = "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible"
REGISTERED_LEVELS = 25  # tile matrices 0..24 in the registered definition; Kent serves 0..MAX_ZOOM
TILE_PX = 256
TILING_SCHEMES = "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes"
PIXEL_M = 0.00028  # the standardized rendering pixel (0.28 mm) every scale denominator assumes

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
    "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
    "http://www.opengis.net/spec/tms/2.0/conf/tilematrixsetlimits",
    "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixsetlimits",
    "http://www.opengis.net/spec/tms/2.0/conf/tilesetmetadata",
    "http://www.opengis.net/spec/tms/2.0/conf/json-tilesetmetadata",
]


def scale_denominator(z: int) -> float:
    return resolution(z, TILE_PX) / PIXEL_M


@functools.cache
def definition() -> dict[str, Any]:
    """The WebMercatorQuad definition as TMS 2.0 JSON (built once; callers must not change it)."""
    return {
        "id": WEB_MERCATOR_QUAD, "title": TMS_TITLE, "uri": TMS_URI, "crs": CRS_3857, "orderedAxes": ["X", "Y"],
        "wellKnownScaleSet": WELL_KNOWN_SCALE_SET,
        "tileMatrices": [{
            "id": str(z), "scaleDenominator": scale_denominator(z), "cellSize": resolution(z, TILE_PX),
            "cornerOfOrigin": "topLeft", "pointOfOrigin": [-HALF_WORLD, HALF_WORLD], "tileWidth": TILE_PX,
            "tileHeight": TILE_PX, "matrixWidth": 1 << z, "matrixHeight": 1 << z,
        } for z in range(REGISTERED_LEVELS)],
    }


@functools.lru_cache(maxsize=256)
def limits(bbox: tuple[float, float, float, float]) -> tuple[dict[str, Any], ...]:
    """tileMatrixSetLimits of a lon/lat extent for zooms 0..MAX_ZOOM: the tiles that can hold data
    (MAX_ZOOM is where the tile endpoints stop, so deeper matrices are left out, i.e. unavailable)."""
    out = []
    for z in range(MAX_ZOOM + 1):
        x0, y0, x1, y1 = tile_range(bbox, z)
        out.append({"tileMatrix": str(z), "minTileRow": y0, "maxTileRow": y1, "minTileCol": x0, "maxTileCol": x1})
    return tuple(out)


def fitting_zoom(bbox: tuple[float, float, float, float]) -> int:
    """The deepest zoom at which the extent lies within 2 x 2 tiles: a good first view of it."""
    for entry in reversed(limits(bbox)):
        if entry["maxTileCol"] - entry["minTileCol"] <= 1 and entry["maxTileRow"] - entry["minTileRow"] <= 1:
            return int(entry["tileMatrix"])
    return 0


def with_tiling_schemes(response: HttpResponse, base: str) -> HttpResponse:
    """The landing page's tiling-schemes link pointed at Kent's /tileMatrixSets (pygeoapi writes
    /TileMatrixSets, and an HTML variant Kent does not serve)."""
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("application/json"):
        return response
    doc = json.loads(response.content)
    doc["links"] = [link for link in doc.get("links", []) if link.get("rel") != TILING_SCHEMES]
    doc["links"].append({"rel": TILING_SCHEMES, "type": "application/json", "href": f"{base}/tileMatrixSets?f=json",
                         "title": "Karo matris kümeleri (tiling schemes)"})
    response.content = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    return response

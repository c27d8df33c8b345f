"""Tile endpoints: base map, registry layers (PNG and MVT) and imagery.

Errors are the domain errors of geo.errors, mapped once by json_errors: a bad z/x/y is 400,
an unknown layer 404, a layer the caller may not read 401/403 (agency layers take /ogc/'s
tokens, and those requests are logged: tiles/access.py). Public tiles may be cached by
browsers and proxies only briefly and revalidated by ETag, since an edit must show at once."""

import zlib

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from geo.api.responses import json_errors
from geo.models import Layer

from . import maps
from .access import is_public, logs_agency_reads, readable_layer
from .basemap import basemap_xml
from .imagery_store import imagery_tile, visible_imagery
from .models import Imagery
from .service import raster_tile, vector_tile
from .tilesets import raster_tileset

MVT_TYPE = "application/vnd.mapbox-vector-tile"
IMAGE_TYPES = {"png": "image/png", "webp": "image/webp"}
# an edit must show at once: public tiles may be kept by browsers and proxies, but revalidated by ETag
CACHE_CONTROL = {True: "public, max-age=0, must-revalidate", False: "private, no-cache"}
BASEMAP_ATTRIBUTION = "Kent, belediye verisi (municipal data)"


def tile_response(request: HttpRequest, data: bytes, content_type: str, *, public: bool = True,
                   attribution: str = "") -> HttpResponse:
    etag = f'"{zlib.crc32(data):08x}-{len(data)}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(data, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL[public]
    if public:
        response["Access-Control-Allow-Origin"] = "*"
    if attribution:
        response["X-Attribution"] = attribution.encode("ascii", "replace").decode()
    return response


def _scale(retina: str | None) -> int:
    return 2 if retina else 1


@require_GET
@json_errors
def basemap_tile(request: HttpRequest, z: int, x: int, y: int, retina: str | None = None) -> HttpResponse:
    scale = _scale(retina)
    data = raster_tile(raster_tileset("basemap", scale), basemap_xml, z, x, y, scale)
    return tile_response(request, data, "image/png", attribution=BASEMAP_ATTRIBUTION)


@require_GET
@logs_agency_reads
@json_errors
def layer_tile(request: HttpRequest, slug: str, z: int, x: int, y: int, retina: str | None = None) -> HttpResponse:
    layer = readable_layer(request, slug)
    scale = _scale(retina)
    data = raster_tile(raster_tileset(f"layers/{layer.slug}", scale), lambda: maps.layer_xml(layer), z, x, y, scale)
    return tile_response(request, data, "image/png", public=is_public(layer))


@require_GET
@logs_agency_reads
@json_errors
def mvt_tile(request: HttpRequest, slug: str, z: int, x: int, y: int) -> HttpResponse:
    layer: Layer = readable_layer(request, slug)
    return mvt_response(request, vector_tile(layer, z, x, y), public=is_public(layer))


def mvt_response(request: HttpRequest, data: bytes | None, *, public: bool) -> HttpResponse:
    """A vector tile, or 204 No Content when no feature touches it (also OGC API Tiles' answer)."""
    if data is not None:
        return tile_response(request, data, MVT_TYPE, public=public)
    response = HttpResponse(status=204)
    response["Cache-Control"] = CACHE_CONTROL[public]
    return response


def _imagery(request: HttpRequest, slug: str) -> Imagery:
    return get_object_or_404(visible_imagery(request.user), slug=slug)


@require_GET
@json_errors
def imagery_tile_view(request: HttpRequest, slug: str, z: int, x: int, y: int, fmt: str,
                      retina: str | None = None) -> HttpResponse:
    record = _imagery(request, slug)
    data = imagery_tile(record, z, x, y, fmt, _scale(retina))
    return tile_response(request, data, IMAGE_TYPES[fmt], public=record.published, attribution=record.attribution)


@require_GET
@json_errors
def imagery_tilejson(request: HttpRequest, slug: str) -> JsonResponse:
    """TileJSON 3.0.0: where the tiles are, their extent and the attribution clients must show."""
    record = _imagery(request, slug)
    base = request.build_absolute_uri(f"/tiles/imagery/{record.slug}/")
    minx, miny, maxx, maxy = record.bounds.extent
    return JsonResponse({
        "tilejson": "3.0.0", "name": record.title, "description": record.abstract,
        "attribution": record.attribution, "scheme": "xyz", "minzoom": 0, "maxzoom": 18,
        "bounds": [minx, miny, maxx, maxy], "center": [(minx + maxx) / 2, (miny + maxy) / 2, 12],
        "tiles": [base + "{z}/{x}/{y}.png", base + "{z}/{x}/{y}.webp"],
        "kent:rendering": record.rendering, "kent:licence": record.licence,
    }, json_dumps_params={"ensure_ascii": False})

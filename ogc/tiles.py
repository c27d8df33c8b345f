"""OGC API - Tiles (Part 1: Core 1.0) for every published layer: the very tiles of
/tiles/<slug>/{z}/{x}/{y}.mvt (`tiles.service.vector_tile`, one disk cache), described by the
tileset metadata of the 2D Tile Matrix Set standard 2.0, and served through `views._serve`, so
tokens, 401/403/404 and the agency access log are exactly those of the items.

A tile request is a hot path: on a cache hit its only query is the registry stamp `_serve` reads.
The Layer handed to the tile service is made from the snapshot (id and slug, which the stamp
covers); the fields a render needs load from the database on first use, i.e. on a cache miss.

Tiles inside the grid but outside the advertised tileMatrixSetLimits are still served (204 when
empty): the limits come from the extent of the last configuration build, and an edit that reaches
past it must show at once, as it does on /tiles/. A tile response is made by /tiles/' own helper:
same ETag and revalidation, and a public tile is as open to browsers (CORS) as it is there."""

from typing import Any
from urllib.parse import quote

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from geo.errors import KentError, NotFound
from geo.models import Layer
from tiles.crs import from_lonlat_bbox
from tiles.grid import MAX_LAT, MAX_ZOOM
from tiles.service import vector_tile
from tiles.views import MVT_TYPE, mvt_response

from . import snapshot
from .crs import CRS84
from .http import base_url, language
from .tilematrixsets import CRS_3857, TMS_URI, WEB_MERCATOR_QUAD, definition, fitting_zoom, limits
from .views import _is_features, _serve

JSON = "application/json"
OGC_REL = "http://www.opengis.net/def/rel/ogc/1.0/"
GEOMETRY_DIMENSION = {"point": 0, "line": 1, "polygon": 2}
CARRIED_PARAMS = ("lang", "token")  # kept on links, so a client that sent its token as ?token= can follow them
TITLES = {
    "tr": {"self": "Bu belge", "tms": "WebMercatorQuad karo matris kümesi", "tileset": "Vektör karo kümesi (MVT)",
           "tiles": "Vektör karolar (Mapbox Vector Tile)", "collection": "Koleksiyon"},
    "en": {"self": "This document", "tms": "The WebMercatorQuad tile matrix set", "tileset": "Vector tileset (MVT)",
           "tiles": "Vector tiles (Mapbox Vector Tile)", "collection": "Collection"},
}


class UnsupportedFormat(KentError):
    code = "InvalidParameterValue"


def _link(rel: str, href: str, title: str, media: str = JSON, **extra: Any) -> dict[str, Any]:
    return {"rel": rel, "type": media, "title": title, "href": href, **extra}


def _carried(request: HttpRequest) -> str:
    return "".join(f"&{k}={quote(request.GET[k], safe='')}" for k in CARRIED_PARAMS if request.GET.get(k))


def _json(body: dict[str, Any]) -> JsonResponse:
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def _json_only(request: HttpRequest) -> None:
    """These documents exist as JSON only; an explicit other `f` is refused (an Accept header is not)."""
    f = (request.GET.get("f") or "").strip().lower()
    if f and f != "json":
        raise UnsupportedFormat(f"Bu belge yalnızca JSON olarak sunulur (f=json); '{f[:20]}' desteklenmiyor. "
                                "(Only JSON is offered here.)", f=f[:20])


def _tile_matrix_set(tms_id: str) -> None:
    if tms_id != WEB_MERCATOR_QUAD:
        raise NotFound(f"Karo matris kümesi bulunamadı: '{tms_id[:60]}'; yalnızca {WEB_MERCATOR_QUAD} sunulur. "
                       "(Tile matrix set not found.)", tileMatrixSetId=tms_id[:60])


def _vector_collection(snap: snapshot.Snapshot, slug: str) -> dict[str, Any]:
    if not _is_features(snap, slug):
        raise NotFound(f"'{slug}' koleksiyonunun vektör karoları yok. (This collection has no vector tiles.)")
    return snap.resources[slug]


def _tileset_summary(request: HttpRequest, collection: dict[str, Any], slug: str) -> dict[str, Any]:
    """What the tilesets list says of the one tileset, and the head of its full metadata."""
    base, lang, carried = base_url(request), language(request), _carried(request)
    titles = TITLES[lang]
    tileset = f"{base}/collections/{slug}/tiles/{WEB_MERCATOR_QUAD}"
    return {
        "title": collection["title"][lang], "dataType": "vector", "crs": CRS_3857, "tileMatrixSetURI": TMS_URI,
        "links": [
            _link("self", f"{tileset}?f=json{carried}", titles["tileset"]),
            _link(f"{OGC_REL}tiling-scheme", f"{base}/tileMatrixSets/{WEB_MERCATOR_QUAD}?f=json", titles["tms"]),
            _link("item", f"{tileset}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}?f=mvt{carried}", titles["tiles"],
                  MVT_TYPE, templated=True),
        ],
    }


def _layer_description(collection: dict[str, Any], slug: str, lang: str, base: str) -> dict[str, Any]:
    """The one MVT layer of every tile (named after the slug) and the attributes it carries."""
    minlon, minlat, maxlon, maxlat = collection["extents"]["spatial"]["bbox"]
    fields = collection["providers"][0]["data"].get("fields") or {}
    layer: dict[str, Any] = {
        "id": slug, "title": collection["title"][lang], "description": collection["description"][lang],
        "dataType": "vector", "minTileMatrix": "0", "maxTileMatrix": str(MAX_ZOOM),
        "boundingBox": {"lowerLeft": [minlon, minlat], "upperRight": [maxlon, maxlat], "crs": CRS84},
        "propertiesSchema": {"type": "object", "properties": {
            name: {k: spec[k] for k in ("type", "format") if k in spec} for name, spec in fields.items()}},
        "links": [_link(f"{OGC_REL}geodata", f"{base}/collections/{slug}", TITLES[lang]["collection"])],
    }
    dimension = GEOMETRY_DIMENSION.get(collection["kent"].get("geometry", ""))
    if dimension is not None:
        layer["geometryDimension"] = dimension
    return layer


def _tileset(request: HttpRequest, collection: dict[str, Any], slug: str) -> dict[str, Any]:
    base, lang = base_url(request), language(request)
    minlon, minlat, maxlon, maxlat = collection["extents"]["spatial"]["bbox"]
    lonlat = (minlon, max(minlat, -MAX_LAT), maxlon, min(maxlat, MAX_LAT))
    minx, miny, maxx, maxy = from_lonlat_bbox(lonlat, 3857)
    doc = _tileset_summary(request, collection, slug)
    doc["links"] += [_link(f"{OGC_REL}geodata", f"{base}/collections/{slug}", TITLES[lang]["collection"])]
    return {
        **doc, "description": collection["description"][lang], "keywords": collection["keywords"],
        "mediaTypes": [MVT_TYPE],
        "accessConstraints": "unclassified" if collection["kent"]["access"] == "public" else "restricted",
        "tileMatrixSetLimits": list(limits(lonlat)),
        "boundingBox": {"lowerLeft": [minx, miny], "upperRight": [maxx, maxy], "crs": CRS_3857},
        "centerPoint": {"coordinates": [(minlon + maxlon) / 2, (lonlat[1] + lonlat[3]) / 2], "crs": CRS84,
                        "tileMatrix": str(fitting_zoom(lonlat))},
        "layers": [_layer_description(collection, slug, lang, base)],
    }


def _layer(collection: dict[str, Any], slug: str) -> Layer:
    """The layer for the tile service without a query: id and slug from the (confirmed) snapshot,
    every other field deferred, so only a render reads what it needs."""
    known = {"id": collection["kent"]["layer_id"], "slug": slug}
    names = [f.attname for f in Layer._meta.concrete_fields if f.attname in known]
    return Layer.from_db(connection.alias, names, [known[n] for n in names])


def _tile_address(*parts: str) -> tuple[int, int, int]:
    try:
        z, row, col = (int(p) for p in parts)
    except ValueError:
        raise KentError(f"tileMatrix, tileRow ve tileCol tam sayı olmalı; '{'/'.join(p[:12] for p in parts)}' "
                        "verildi. (tileMatrix, tileRow and tileCol must be integers.)") from None
    return z, row, col


@csrf_exempt
def tile_matrix_sets(request: HttpRequest) -> HttpResponse:
    def handle(snap: snapshot.Snapshot, who: Any, slug: str) -> tuple[HttpResponse, None]:
        _json_only(request)
        base, titles = base_url(request), TITLES[language(request)]
        tms = definition()
        return _json({
            "tileMatrixSets": [{"id": tms["id"], "title": tms["title"], "uri": tms["uri"], "crs": tms["crs"],
                                "links": [_link("self", f"{base}/tileMatrixSets/{tms['id']}?f=json", titles["tms"])]}],
            "links": [_link("self", f"{base}/tileMatrixSets?f=json", titles["self"])],
        }), None

    return _serve(request, handle)


@csrf_exempt
def tile_matrix_set(request: HttpRequest, tms_id: str) -> HttpResponse:
    def handle(snap: snapshot.Snapshot, who: Any, slug: str) -> tuple[HttpResponse, None]:
        _json_only(request)
        _tile_matrix_set(tms_id)
        return _json(definition()), None

    return _serve(request, handle)


@csrf_exempt
def tilesets(request: HttpRequest, slug: str) -> HttpResponse:
    def handle(snap: snapshot.Snapshot, who: Any, s: str) -> tuple[HttpResponse, None]:
        _json_only(request)
        collection = _vector_collection(snap, s)
        base, lang = base_url(request), language(request)
        return _json({
            "tilesets": [_tileset_summary(request, collection, s)],
            "links": [_link("self", f"{base}/collections/{s}/tiles?f=json{_carried(request)}", TITLES[lang]["self"]),
                      _link("collection", f"{base}/collections/{s}", TITLES[lang]["collection"])],
        }), None

    return _serve(request, handle, slug)


@csrf_exempt
def tileset(request: HttpRequest, slug: str, tms_id: str) -> HttpResponse:
    def handle(snap: snapshot.Snapshot, who: Any, s: str) -> tuple[HttpResponse, None]:
        _json_only(request)
        _tile_matrix_set(tms_id)
        return _json(_tileset(request, _vector_collection(snap, s), s)), None

    return _serve(request, handle, slug)


@csrf_exempt
def tile(request: HttpRequest, slug: str, tms_id: str, z: str, row: str, col: str) -> HttpResponse:
    """One tile: the MVT bytes of /tiles/<slug>/{z}/{col}/{row}.mvt, 204 when empty."""
    def handle(snap: snapshot.Snapshot, who: Any, s: str) -> tuple[HttpResponse, None]:
        _tile_matrix_set(tms_id)
        f = (request.GET.get("f") or "mvt").strip().lower()
        if f != "mvt":
            raise UnsupportedFormat(f"Karolar yalnızca Mapbox Vector Tile olarak sunulur (f=mvt); '{f[:20]}' "
                                    "desteklenmiyor. (Tiles are offered as MVT only.)", f=f[:20])
        collection = _vector_collection(snap, s)
        zoom, y, x = _tile_address(z, row, col)
        public = collection["kent"]["access"] == "public"
        try:
            data = vector_tile(_layer(collection, s), zoom, x, y)
        except Layer.DoesNotExist:  # deleted after the snapshot was confirmed, before the render
            raise NotFound(f"Koleksiyon bulunamadı: '{s}'. (Collection not found.)") from None
        return mvt_response(request, data, public=public), None

    return _serve(request, handle, slug)

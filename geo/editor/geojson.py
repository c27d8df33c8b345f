"""GeoJSON in and out of the editor API: rows of any layer as Features, a posted Feature as
geometry + properties + version, and the bbox filter.

Geometries travel in EPSG:4326 lon/lat (RFC 7946), which is also Kent's storage CRS, so no
reprojection happens here; anything else is refused with a message saying what was expected."""

import json
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, Polygon
from django.db import models

from geo.errors import InvalidCRS, InvalidGeometry, InvalidInput
from geo.models import Layer

from .backends import backend_for

GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
# names under which GeoJSON (2008) and OGC spell "WGS84 lon/lat"; anything else is another CRS
WGS84_NAMES = {"EPSG:4326", "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326",
               "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}
GEOJSON_ANNOTATION = "kent_geojson"


@dataclass
class IncomingFeature:
    geometry: GEOSGeometry | None
    properties: dict[str, Any] | None
    version: int | None


def parse_bbox(raw: str | None) -> Polygon | None:
    """`minx,miny,maxx,maxy` in lon/lat -> a polygon; out-of-world values are clamped because a
    zoomed-out web map reports bounds beyond ±180°."""
    if raw is None or raw.strip() == "":
        return None
    parts = raw.split(",")
    try:
        minx, miny, maxx, maxy = (float(p) for p in parts)
    except ValueError:
        raise InvalidInput("bbox dört sayı olmalı: minx,miny,maxx,maxy (boylam/enlem). "
                           "(bbox must be four numbers: minx,miny,maxx,maxy in lon/lat.)", bbox=raw) from None
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
        raise InvalidInput("bbox sonlu sayılardan oluşmalı. (bbox values must be finite.)", bbox=raw)
    if minx > maxx or miny > maxy:
        raise InvalidInput("bbox'ta en küçük değer en büyük değerden büyük olamaz (minx ≤ maxx, miny ≤ maxy). "
                           "(bbox minimum must not exceed maximum.)", bbox=raw)
    minx, maxx = (min(max(v, -180.0), 180.0) for v in (minx, maxx))
    miny, maxy = (min(max(v, -90.0), 90.0) for v in (miny, maxy))
    box = Polygon.from_bbox((minx, miny, maxx, maxy))
    box.srid = settings.STORAGE_SRID
    return box


def geometry_field(model: type[models.Model]) -> str:
    for field in model._meta.concrete_fields:
        if isinstance(field, GeometryField):
            return field.name
    raise InvalidInput(f"{model._meta.label} modelinde geometri alanı yok. (The model has no geometry field.)")


def layer_features(layer: Layer, bbox: Polygon | None, limit: int,
                   shown: set[str] | None = None) -> tuple[list[dict[str, Any]], bool]:
    """The layer's rows meeting the bbox as GeoJSON Features, at most `limit`, and whether more
    exist. PostGIS writes the GeoJSON, which is much cheaper than going through GEOS per row."""
    geom = geometry_field(layer.source_model())
    rows = layer.rows()
    if bbox is not None:
        rows = rows.filter(**{f"{geom}__bboverlaps": bbox})
    rows = rows.annotate(**{GEOJSON_ANNOTATION: AsGeoJSON(geom)}).defer(geom).order_by("pk")
    page = list(rows[: limit + 1])
    features = [to_feature(row, layer, json.loads(getattr(row, GEOJSON_ANNOTATION)), shown) for row in page[:limit]]
    return features, len(page) > limit


def to_feature(row: models.Model, layer: Layer, geometry: dict[str, Any] | None = None,
               shown: set[str] | None = None) -> dict[str, Any]:
    """One row as a GeoJSON Feature. `version` is a top-level member, next to `id`, so the
    properties stay exactly the layer's attributes; `shown` (None: all) keeps only the attributes
    the reader may see (geo.sources.shown_to)."""
    if geometry is None:
        geometry = json.loads(getattr(row, geometry_field(type(row))).geojson)
    backend = backend_for(layer)
    if backend is not None:
        properties = backend.properties(row)
    else:
        # keyed by field name (as Layer.attribute_names), foreign keys by their id
        properties = {f.name: getattr(row, f.attname) for f in row._meta.concrete_fields
                      if not f.primary_key and not isinstance(f, GeometryField)}
    if shown is not None:
        attnames = {f.name: f.attname for f in row._meta.concrete_fields}
        properties = {k: v for k, v in properties.items() if k in shown or attnames.get(k) in shown}
    return {"type": "Feature", "id": row.pk, "geometry": geometry, "properties": properties,
            "version": getattr(row, "version", None)}


def parse_feature(body: bytes, *, geometry_required: bool) -> IncomingFeature:
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("İstek gövdesi geçerli JSON değil. (The request body is not valid JSON.)") from None
    if not isinstance(data, dict) or data.get("type") != "Feature":
        raise InvalidInput("İstek gövdesi bir GeoJSON Feature olmalı. (The body must be a GeoJSON Feature.)")
    _check_crs(data.get("crs"))
    raw_geometry = data.get("geometry")
    geometry = parse_geometry(raw_geometry) if raw_geometry is not None else None
    if geometry is None and geometry_required:
        raise InvalidGeometry("Geometri gerekli. (A geometry is required.)")
    properties = data.get("properties")
    if properties is not None and not isinstance(properties, dict):
        raise InvalidInput("'properties' bir nesne olmalı. ('properties' must be an object.)")
    version = data.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise InvalidInput("'version' bir tam sayı olmalı. ('version' must be an integer.)")
    return IncomingFeature(geometry, properties, version)


def _check_crs(crs: Any) -> None:
    if crs is None:
        return
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if name not in WGS84_NAMES:
        raise InvalidCRS(f"Geometri EPSG:4326 (boylam/enlem) olmalı; '{name}' desteklenmiyor. "
                         "(Geometries must be EPSG:4326 lon/lat.)", crs=name)


def parse_geometry(raw: Any) -> GEOSGeometry:
    if not isinstance(raw, dict) or raw.get("type") not in GEOMETRY_TYPES:
        kind = raw.get("type") if isinstance(raw, dict) else type(raw).__name__
        raise InvalidGeometry(f"Desteklenmeyen geometri türü: {kind}. (Unsupported geometry type.)", type=kind)
    try:
        geom = GEOSGeometry(json.dumps(raw), srid=settings.STORAGE_SRID)
    except (ValueError, TypeError, GDALException, GEOSException):
        raise InvalidGeometry("Geometri okunamadı: koordinatlar eksik ya da halka kapanmamış olabilir. "
                              "(Unreadable geometry: missing coordinates or an unclosed ring.)") from None
    if geom.empty:
        raise InvalidGeometry("Geometri boş. (The geometry is empty.)")
    minx, miny, maxx, maxy = geom.extent
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise InvalidGeometry("Koordinatlar boylam/enlem aralığının dışında; geometri EPSG:4326 olmalı. "
                              "(Coordinates out of lon/lat range; send EPSG:4326.)", extent=[minx, miny, maxx, maxy])
    return geom

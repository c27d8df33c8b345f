"""Checks every geometry and attribute set before it is stored.

Geometry: it must be of the layer's family (point/line/polygon). An invalid geometry is repaired
with GEOS MakeValid only where that is safe: the result is non-empty, of the same family, and
keeps at least 99 % of the valid parts' extent; otherwise it is refused with the reason.
Attributes: the layer's JSON Schema, with the TUCBS theme's required attributes added to its
`required`, enforced by the one validator (`geo.services.schema`): types, enum, ranges, lengths,
patterns, each problem named by its field."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, MultiLineString, MultiPoint, MultiPolygon
from shapely import from_wkb, make_valid, to_wkb
from shapely.validation import explain_validity

from geo.errors import InvalidGeometry, InvalidInput
from geo.models import GeometryFamily, Layer

from .schema import CompiledSchema, compiled, refusal

MULTI = {GeometryFamily.POINT: MultiPoint, GeometryFamily.LINE: MultiLineString,
         GeometryFamily.POLYGON: MultiPolygon}

@dataclass
class CleanGeometry:
    geom: GEOSGeometry
    repaired: bool = False
    reason: str = ""


def _family_parts(shp, family: GeometryFamily):
    """The parts of a (possibly mixed) shapely geometry that belong to `family`."""
    if shp.geom_type == "GeometryCollection":
        return [p for g in shp.geoms for p in _family_parts(g, family)]
    if GeometryFamily.of(shp.geom_type) != family:
        return []
    return list(shp.geoms) if shp.geom_type.startswith("Multi") else [shp]


def clean_geometry(geom: GEOSGeometry, layer: Layer) -> CleanGeometry:
    if geom is None or geom.empty:
        raise InvalidGeometry("Geometri boş. (The geometry is empty.)")
    if geom.srid != settings.STORAGE_SRID:
        raise InvalidGeometry(f"Geometri EPSG:{settings.STORAGE_SRID} olmalı, EPSG:{geom.srid} geldi. "
                              "(Geometry must be in the storage CRS.)")
    family = GeometryFamily(layer.geometry_family)
    if GeometryFamily.of(geom.geom_type) != family:
        raise InvalidGeometry(f"'{layer.slug}' katmanı {family.label} ister, {geom.geom_type} geldi. "
                              f"(Layer wants {family.value} geometries, got {geom.geom_type}.)")
    if geom.valid:
        return CleanGeometry(geom)
    shp = from_wkb(bytes(geom.wkb))
    reason = explain_validity(shp)
    fixed = make_valid(shp)
    parts = _family_parts(fixed, family)
    if not parts:
        raise InvalidGeometry(f"Geçersiz geometri onarılamadı: {reason}. (Invalid geometry, cannot repair.)",
                              reason=reason)
    if family == GeometryFamily.POLYGON:
        kept = sum(p.area for p in parts)
        if kept < 0.99 * fixed.area:
            raise InvalidGeometry(f"Geçersiz geometri güvenle onarılamadı: {reason}. (Unsafe repair.)",
                                  reason=reason)
    multi = MULTI[family]([GEOSGeometry(memoryview(to_wkb(p)), srid=geom.srid) for p in parts], srid=geom.srid)
    out = multi if (geom.geom_type.startswith("Multi") or len(parts) > 1) else multi[0]
    return CleanGeometry(out, repaired=True, reason=reason)


def attribute_checker(layer: Layer) -> CompiledSchema:
    """The layer's compiled schema: its own, with the theme's required attributes as `required`."""
    schema = dict(layer.attribute_schema) if isinstance(layer.attribute_schema, dict) else {}
    required = layer.required_attributes()
    if required:
        schema["required"] = required
    return compiled(schema)


def check_attributes(layer: Layer, properties: dict, checker: CompiledSchema | None = None) -> dict:
    """Return the properties if they satisfy the layer's schema and theme, else a 400 naming each
    field at fault. An import passes the checker it compiled once for all its rows."""
    if not isinstance(properties, dict):
        raise InvalidInput("Öznitelikler bir nesne olmalı. (Properties must be an object.)")
    problems = (checker or attribute_checker(layer)).problems(properties)
    if problems:
        raise refusal(problems, layer=layer.slug, theme=layer.theme_id)
    return properties

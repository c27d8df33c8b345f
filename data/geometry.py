"""Geometry glue: shapely does the work, GEOS carries it into the database, metres come from
the municipality's TUREF/TM zone (settings.LOCAL_SRID), storage is WGS84 lon/lat."""

from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import shapely
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from pyproj import Transformer
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry


def to_geos(geom: BaseGeometry) -> GEOSGeometry:
    """A shapely geometry in storage lon/lat as a GeoDjango value."""
    return GEOSGeometry(memoryview(shapely.to_wkb(geom)), srid=settings.STORAGE_SRID)


@lru_cache(maxsize=4)
def transformer(src: int, dst: int) -> Transformer:
    """A cached lon/lat-ordered pyproj transformer."""
    return Transformer.from_crs(src, dst, always_xy=True)


def to_metric(geom: BaseGeometry) -> BaseGeometry:
    """Storage lon/lat -> local TM metres, for lengths and areas."""
    tr = transformer(settings.STORAGE_SRID, settings.LOCAL_SRID)

    def move(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(tr.transform(xy[:, 0], xy[:, 1]))

    return shapely.transform(geom, move)


def polygon_parts(geom: BaseGeometry | None) -> list[Polygon]:
    """The non-empty polygons inside any geometry (after repairing it)."""
    if geom is None or geom.is_empty:
        return []
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    if isinstance(geom, Polygon):
        return [geom]
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in polygon_parts(g)]
    return []


def as_multipolygon(geom: BaseGeometry | None) -> MultiPolygon | None:
    parts = [p for p in polygon_parts(geom) if p.area > 0]
    return MultiPolygon(parts) if parts else None


def as_multilinestring(lines: Iterable[BaseGeometry]) -> MultiLineString | None:
    """Merge touching pieces (ways of one street) and return them as one MultiLineString."""
    pieces = [ln for ln in lines if ln is not None and not ln.is_empty]
    if not pieces:
        return None
    merged = shapely.line_merge(shapely.union_all(pieces))
    parts = [merged] if isinstance(merged, LineString) else list(getattr(merged, "geoms", []))
    parts = [p for p in parts if isinstance(p, LineString) and p.length > 0]
    return MultiLineString(parts) if parts else None


def anchor_point(geom: BaseGeometry) -> Point:
    """A point to show an area or a line by: inside a polygon, halfway along a line."""
    if isinstance(geom, Point):
        return geom
    if isinstance(geom, MultiLineString):
        geom = max(geom.geoms, key=lambda part: part.length)
    if isinstance(geom, LineString):
        return geom.interpolate(0.5, normalized=True)
    return geom.point_on_surface()

"""Metric geometry for numbering and MAKS checks, done in the local TUREF/TM grid
(settings.LOCAL_SRID) because sides, distances along a street and tolerances are in metres.

Conventions: a street line is oriented from its numbering start; a point's *side* is the sign of
the cross product of the street's direction and the vector to the point (+1 left, -1 right, as a
walker from the start sees it); its *station* is the distance along the line to its projection."""

from functools import cache

import numpy as np
import shapely
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from pyproj import Transformer
from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

TANGENT_STEP = 1.0  # metres either side of a projection used to read the street's direction there


@cache
def _transformer(src: int, dst: int) -> Transformer:
    return Transformer.from_crs(src, dst, always_xy=True)


def _reproject(geom: BaseGeometry, src: int, dst: int) -> BaseGeometry:
    t = _transformer(src, dst)
    return shapely.transform(geom, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


def to_local(geom: GEOSGeometry) -> BaseGeometry:
    """A stored GEOS geometry as a shapely geometry in the local metric grid."""
    return _reproject(shapely.from_wkb(bytes(geom.wkb)), geom.srid or settings.STORAGE_SRID, settings.LOCAL_SRID)


def many_to_local(geoms: list[GEOSGeometry]) -> np.ndarray:
    """Vectorised `to_local` for a list of stored geometries (one pyproj call for all)."""
    if not geoms:
        return np.array([], dtype=object)
    shp = shapely.from_wkb([bytes(g.wkb) for g in geoms])
    return _reproject(shp, settings.STORAGE_SRID, settings.LOCAL_SRID)


def to_storage(geom: BaseGeometry) -> GEOSGeometry:
    """A local shapely geometry back as a GEOS geometry in the storage CRS."""
    back = _reproject(geom, settings.LOCAL_SRID, settings.STORAGE_SRID)
    return GEOSGeometry(memoryview(shapely.to_wkb(back)), srid=settings.STORAGE_SRID)


def single_line(geom: BaseGeometry) -> LineString:
    """One walkable line from a (multi)line: parts are merged where they touch; parts that stay
    apart are chained nearest-end to nearest-end, starting from the longest, so a street digitised
    in pieces with small gaps is still walked in one go."""
    merged = shapely.line_merge(geom) if isinstance(geom, MultiLineString) else geom
    if isinstance(merged, LineString):
        return merged
    parts = sorted(merged.geoms, key=lambda p: -p.length)
    coords = list(parts.pop(0).coords)
    while parts:
        best, flip_chain, flip_part, gap = 0, False, False, float("inf")
        for i, p in enumerate(parts):
            for chain_end, c in ((False, coords[-1]), (True, coords[0])):
                for part_end, q in ((False, p.coords[0]), (True, p.coords[-1])):
                    d = Point(c).distance(Point(q))
                    if d < gap:
                        best, flip_chain, flip_part, gap = i, chain_end, part_end, d
        part = list(parts.pop(best).coords)
        if flip_chain:
            coords.reverse()
        if flip_part:
            part.reverse()
        coords += part[1:] if Point(coords[-1]).equals(Point(part[0])) else part
    return LineString(coords)


def is_closed(line: LineString, tolerance: float = 1.0) -> bool:
    return Point(line.coords[0]).distance(Point(line.coords[-1])) <= tolerance


def oriented(line: LineString, start: Point) -> LineString:
    """The line walked from `start`: an open line is reversed if start is nearer its last point;
    a closed line (a loop, a meydan) is rotated to begin at start's projection and run clockwise."""
    if not is_closed(line):
        near_end = Point(line.coords[-1]).distance(start) < Point(line.coords[0]).distance(start)
        return LineString(line.coords[::-1]) if near_end else line
    ring = list(line.coords[:-1])
    if shapely.LinearRing(ring).is_ccw:
        ring.reverse()
    loop = LineString(ring + [ring[0]])
    s = loop.project(start)
    head = substring(loop, s, loop.length)
    tail = substring(loop, 0, s)
    coords = list(head.coords) + list(tail.coords)[1:] if tail.length > 0 else list(head.coords)
    return LineString(coords) if len(coords) >= 2 else loop


def sides_and_stations(line: LineString, points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For points (shapely array) against an oriented line: side (+1 left, -1 right, 0 on the
    line), station (m along the line) and distance (m to the line)."""
    if len(points) == 0:
        empty = np.array([])
        return empty.astype(int), empty, empty
    s = shapely.line_locate_point(line, points)
    foot = shapely.line_interpolate_point(line, s)
    a = shapely.get_coordinates(shapely.line_interpolate_point(line, np.clip(s - TANGENT_STEP, 0, line.length)))
    b = shapely.get_coordinates(shapely.line_interpolate_point(line, np.clip(s + TANGENT_STEP, 0, line.length)))
    q = shapely.get_coordinates(foot)
    p = shapely.get_coordinates(points)
    t = b - a
    v = p - q
    cross = t[:, 0] * v[:, 1] - t[:, 1] * v[:, 0]
    return np.sign(np.round(cross, 9)).astype(int), s, shapely.distance(points, line)


def clockwise_angles(centre: Point, start: Point, points: np.ndarray) -> np.ndarray:
    """Clockwise angle (0..2π) of each point around `centre`, measured from the direction of `start`."""
    p = shapely.get_coordinates(points) - np.array(centre.coords[0])
    a0 = np.arctan2(start.y - centre.y, start.x - centre.x)
    return np.mod(a0 - np.arctan2(p[:, 1], p[:, 0]), 2 * np.pi)


def many_to_storage(geoms: list[BaseGeometry]) -> list[GEOSGeometry]:
    """Vectorised `to_storage`."""
    if not geoms:
        return []
    back = _reproject(np.array(geoms, dtype=object), settings.LOCAL_SRID, settings.STORAGE_SRID)
    return [GEOSGeometry(memoryview(w), srid=settings.STORAGE_SRID) for w in shapely.to_wkb(back)]

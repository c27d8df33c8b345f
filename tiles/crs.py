"""The CRSs Kent's WMS speaks, their WMS 1.3.0 axis order, and bbox transforms (pyproj).

WMS 1.3.0 writes coordinates in the CRS's own axis order: EPSG:4326 is lat/lon and the TUREF/TM
zones (EPSG:5253-5259) are northing/easting, while CRS:84 and EPSG:3857 are x/y. The order is
read from the EPSG definition, not from a hand-kept list."""

from functools import lru_cache

from django.conf import settings
from pyproj import CRS, Transformer

Bbox = tuple[float, float, float, float]


def supported_crs() -> dict[str, int]:
    """WMS CRS name -> EPSG code to draw in."""
    local = int(settings.LOCAL_SRID)
    return {"EPSG:3857": 3857, "EPSG:4326": 4326, "CRS:84": 4326, f"EPSG:{local}": local}


@lru_cache(maxsize=32)
def axis_swapped(name: str) -> bool:
    """True when the CRS's first axis is north/south (so a WMS 1.3.0 bbox starts with y)."""
    if not name.upper().startswith("EPSG:"):
        return False
    return CRS.from_epsg(int(name.split(":", 1)[1])).axis_info[0].direction in ("north", "south")


@lru_cache(maxsize=32)
def _transformer(src: int, dst: int) -> Transformer:
    return Transformer.from_crs(src, dst, always_xy=True)


def from_lonlat_bbox(bbox: Bbox, srid: int) -> Bbox:
    """A lon/lat bbox in another CRS (x/y order), densified so curved edges are covered."""
    if srid == 4326:
        return bbox
    return _transformer(4326, srid).transform_bounds(*bbox, densify_pts=11)


def to_lonlat_bbox(bbox: Bbox, srid: int) -> Bbox:
    """An x/y bbox of another CRS as a lon/lat bbox."""
    if srid == 4326:
        return bbox
    return _transformer(srid, 4326).transform_bounds(*bbox, densify_pts=11)


def to_lonlat(x: float, y: float, srid: int) -> tuple[float, float]:
    if srid == 4326:
        return x, y
    return _transformer(srid, 4326).transform(x, y)

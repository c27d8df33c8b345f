"""The coordinate reference systems Kent accepts for import and export, and how it moves between them.

Storage CRS: every geometry is stored in WGS84 lon/lat, EPSG:4326 (`settings.STORAGE_SRID`), what
OGC API, vector tiles and browsers speak. Files come and go in the systems Turkish municipal offices
use: TUREF/TM 3° zones (the official grid since 2005), the older ED50/UTM maps, ITRF96/TUREF
lon/lat, and Web Mercator for web tools. Anything else is refused with the list below, so a file is
never silently placed with an unvetted datum shift.

Transformations are built once per (source, target) with always_xy=True (lon/east first) and with
Türkiye as the area of interest, so PROJ picks the datum shift made for Türkiye (for ED50 that is
EPSG:1784, "ED50 to WGS 84 (30)", about 2 m accurate). TUREF and ITRF96 go to WGS84 without a shift:
the difference is at the centimetre level and EPSG publishes no better transformation.
"""

import functools
import math

import numpy as np
import shapely
from django.conf import settings
from pyproj import CRS, Transformer
from pyproj.aoi import AreaOfInterest
from pyproj.exceptions import CRSError

from geo.errors import InvalidCRS

STORAGE_SRID: int = settings.STORAGE_SRID

# EPSG code -> name shown to users. A plain table: adding a CRS is one line.
SUPPORTED: dict[int, str] = {
    4326: "WGS84 coğrafi (WGS84 lon/lat)",
    3857: "Web Mercator (WGS84 / Pseudo-Mercator)",
    5252: "TUREF coğrafi (TUREF lon/lat)",
    8995: "ITRF96 coğrafi (ITRF96 lon/lat)",
    5253: "TUREF / TM27",
    5254: "TUREF / TM30",
    5255: "TUREF / TM33",
    5256: "TUREF / TM36",
    5257: "TUREF / TM39",
    5258: "TUREF / TM42",
    5259: "TUREF / TM45",
    23035: "ED50 / UTM 35N",
    23036: "ED50 / UTM 36N",
    23037: "ED50 / UTM 37N",
}

# Türkiye with its seas (lon/lat), used to pick datum shifts and to warn about misplaced data.
TURKEY_BOUNDS = (25.5, 35.5, 45.0, 42.5)
TURKEY_AOI = AreaOfInterest(*TURKEY_BOUNDS)
# Projected data may run past its zone's official strip; beyond this many degrees it is a wrong CRS.
ZONE_MARGIN_DEG = 3.0


def supported_list() -> str:
    return ", ".join(f"EPSG:{code} {name}" for code, name in SUPPORTED.items())


def _refuse(value: object) -> InvalidCRS:
    shown = str(value).strip() or "(boş / empty)"
    shown = shown if len(shown) <= 80 else shown[:77] + "..."
    return InvalidCRS(
        f"Koordinat sistemi tanınmadı ya da desteklenmiyor: {shown}. Desteklenenler: {supported_list()}. "
        f"(Unknown or unsupported CRS.)", supported=[f"EPSG:{c}" for c in SUPPORTED])


def parse_crs(value: str | int | CRS) -> CRS:
    """A supported CRS from 'EPSG:5254', '5254', 5254, 'urn:ogc:def:crs:EPSG::5254', WKT or a pyproj CRS.

    WKT (e.g. a shapefile's .prj) is matched to its EPSG code; a CRS that matches none of
    `SUPPORTED` raises InvalidCRS naming the supported ones."""
    if isinstance(value, CRS):
        crs = value
    else:
        text = str(value).strip()
        if not text:
            raise _refuse(value)
        try:
            crs = CRS.from_epsg(int(text)) if text.isdigit() else CRS.from_user_input(text)
        except (CRSError, ValueError, TypeError) as e:
            raise _refuse(value) from e
    code = _epsg_code(crs)
    if code not in SUPPORTED:
        raise _refuse(crs.name if code is None else f"EPSG:{code} {crs.name}")
    return CRS.from_epsg(code)


def _epsg_code(crs: CRS) -> int | None:
    code = crs.to_epsg()
    if code is None:
        code = crs.to_epsg(min_confidence=70)
    return code


def srid_of(crs: CRS) -> int:
    """The EPSG code of a CRS returned by `parse_crs`."""
    code = _epsg_code(crs)
    if code is None:
        raise _refuse(crs.name)
    return code


@functools.lru_cache(maxsize=64)
def transformer(source_srid: int, target_srid: int) -> Transformer:
    """A cached lon/lat-ordered transformer between two EPSG codes, chosen for Türkiye."""
    return Transformer.from_crs(source_srid, target_srid, always_xy=True, area_of_interest=TURKEY_AOI)


def reproject(geoms: np.ndarray, source_srid: int, target_srid: int) -> np.ndarray:
    """An array of shapely geometries (None kept) moved from one CRS to another."""
    if source_srid == target_srid:
        return geoms
    t = transformer(source_srid, target_srid)
    return shapely.transform(geoms, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


def _within(bounds: tuple[float, float, float, float], box: tuple[float, float, float, float]) -> bool:
    return (all(math.isfinite(v) for v in bounds) and bounds[0] >= box[0] and bounds[1] >= box[1]
            and bounds[2] <= box[2] and bounds[3] <= box[3])


def check_coordinates(bounds: tuple[float, float, float, float], srid: int) -> None:
    """Refuse data whose coordinates cannot be in `srid`: lon/lat beyond ±180/±90, or projected
    coordinates that fall far outside the zone (e.g. '4326' given for TM metres, or X/Y swapped)."""
    crs = CRS.from_epsg(srid)
    if crs.is_geographic:
        ok = _within(bounds, (-180.0, -90.0, 180.0, 90.0))
    else:
        area = crs.area_of_use.bounds if crs.area_of_use else (-180.0, -90.0, 180.0, 90.0)
        box = (area[0] - ZONE_MARGIN_DEG, area[1] - ZONE_MARGIN_DEG,
               area[2] + ZONE_MARGIN_DEG, area[3] + ZONE_MARGIN_DEG)
        finite = all(math.isfinite(v) for v in bounds)
        ok = finite and _within(tuple(transformer(srid, 4326).transform_bounds(*bounds)), box)
    if not ok:
        raise InvalidCRS(
            f"Koordinatlar EPSG:{srid} için geçerli aralığın dışında {_fmt(bounds)}: koordinat sistemi yanlış "
            "ya da X/Y yer değiştirmiş olabilir. (Coordinates out of range for that CRS.)",
            srid=srid, bounds=list(bounds))


def _fmt(bounds: tuple[float, float, float, float]) -> str:
    return "(" + ", ".join(f"{v:.6g}" for v in bounds) + ")"


def outside_turkey(bounds_4326: tuple[float, float, float, float]) -> bool:
    """True when lon/lat bounds leave Türkiye: legal, but usually a sign of a wrong CRS."""
    return not _within(bounds_4326, TURKEY_BOUNDS)

"""The CRSs Kent's OGC API offers (Features Part 2) and how each is written in SQL.

Geometries are stored in EPSG:4326 lon/lat, which OGC calls CRS84. Responses in another CRS are
transformed in PostGIS with an integer SRID (a text SRID makes PostGIS 3.3 build a PROJ pipeline
per row). OGC API asks for the CRS's own axis order: EPSG:4326 and the TUREF/TM zones are
northing/latitude first, so their coordinates are swapped after the transform."""

import functools
import re
from dataclasses import dataclass

from django.conf import settings
from pyproj import CRS

from geo.errors import KentError

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/{}"
STORAGE_SRID = settings.STORAGE_SRID

# 4326, Web Mercator and the seven TUREF/TM 3° zones of Türkiye (the municipality's own first).
TUREF_TM = range(5253, 5260)

_FORMS = [
    re.compile(r"^https?://www\.opengis\.net/def/crs/EPSG/0/(\d+)$"),
    re.compile(r"^\[?EPSG:(\d+)\]?$", re.IGNORECASE),
    re.compile(r"^urn:ogc:def:crs:EPSG:[\d.]*:(\d+)$", re.IGNORECASE),
]
_CRS84_FORMS = {CRS84, "https://www.opengis.net/def/crs/OGC/1.3/CRS84", "urn:ogc:def:crs:OGC:1.3:CRS84",
                "urn:ogc:def:crs:OGC::CRS84", "[OGC:CRS84]", "OGC:CRS84", "CRS84"}


@dataclass(frozen=True)
class OgcCrs:
    """One offered CRS: its URI, the SRID PostGIS uses, whether axes are swapped, output precision."""

    uri: str
    srid: int
    flip: bool
    decimals: int

    @property
    def is_storage(self) -> bool:
        return self.srid == STORAGE_SRID and not self.flip


def offered_srids() -> list[int]:
    local = int(settings.LOCAL_SRID)
    return list(dict.fromkeys([4326, 3857, local, *TUREF_TM]))


def offered_uris() -> list[str]:
    return [CRS84, *(EPSG_URI.format(s) for s in offered_srids())]


@functools.cache
def _epsg(srid: int) -> OgcCrs:
    crs = CRS.from_epsg(srid)
    first_axis = crs.axis_info[0].direction.lower() if crs.axis_info else "east"
    return OgcCrs(uri=EPSG_URI.format(srid), srid=srid, flip=first_axis == "north",
                  decimals=7 if crs.is_geographic else 3)


CRS84_CRS = OgcCrs(uri=CRS84, srid=STORAGE_SRID, flip=False, decimals=7)


def parse(value: str | None, what: str = "crs") -> OgcCrs:
    """An offered CRS from a URI, a CURIE ('[EPSG:5255]'), 'EPSG:5255' or an OGC URN; None is CRS84.
    Anything else is a 400 that lists what is offered."""
    if value is None or value.strip() == "":
        return CRS84_CRS
    text = value.strip().strip("<>")
    if text in _CRS84_FORMS:
        return CRS84_CRS
    for form in _FORMS:
        match = form.match(text)
        if match and int(match.group(1)) in offered_srids():
            return _epsg(int(match.group(1)))
    shown = text if len(text) <= 80 else text[:77] + "..."
    raise KentError(f"Desteklenmeyen koordinat sistemi ({what}): {shown}. Desteklenenler: "
                    f"{', '.join(offered_uris())}. (Unsupported CRS.)", parameter=what)


def flip_pairs(values: list[float], crs: OgcCrs) -> list[float]:
    """Coordinates given in the CRS's axis order, as x/y (lon/lat, easting/northing)."""
    if not crs.flip:
        return values
    out = list(values)
    for i in range(0, len(out) - 1, 2):
        out[i], out[i + 1] = out[i + 1], out[i]
    return out

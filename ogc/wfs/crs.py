"""The CRSs WFS offers and their axis order as WFS 2.0 clients expect it.

The same systems as OGC API (ogc/crs.py: WGS84, Web Mercator, the TUREF/TM zones) plus the ED50
UTM zones municipal archives still use (geo/services/crs.py lists them). Axis order follows the
way the CRS is written, as GeoServer, GDAL and ArcGIS agree: a URN or an http URI
(`urn:ogc:def:crs:EPSG::4326`) means the authority's order (latitude/northing first for 4326 and
the TM zones), the short `EPSG:4326` and CRS84 mean x/y (longitude/easting first)."""

import re
from dataclasses import replace

from geo.errors import KentError
from geo.services.crs import SUPPORTED

from .. import crs as ogc_crs

ED50_UTM = (23035, 23036, 23037)
URN = "urn:ogc:def:crs:EPSG::{}"
DEFAULT_SRID = ogc_crs.STORAGE_SRID

_AUTHORITY_FORMS = [
    re.compile(r"^urn:(?:x-)?ogc:def:crs:EPSG:(?:[\d.]*:)?(\d+)$", re.IGNORECASE),
    re.compile(r"^https?://www\.opengis\.net/def/crs/EPSG/0/(\d+)$", re.IGNORECASE),
]
_XY_FORMS = [
    re.compile(r"^EPSG:(\d+)$", re.IGNORECASE),
    re.compile(r"^https?://www\.opengis\.net/gml/srs/epsg\.xml#(\d+)$", re.IGNORECASE),
]
_CRS84 = re.compile(r"^(urn:ogc:def:crs:OGC:(1\.3)?:CRS84|https?://www\.opengis\.net/def/crs/OGC/1\.3/CRS84|"
                    r"(OGC:)?CRS84)$", re.IGNORECASE)


def srids() -> list[int]:
    """Every SRID a GetFeature may answer in, the storage CRS first."""
    return [*ogc_crs.offered_srids(), *(s for s in ED50_UTM if s in SUPPORTED)]


def _base(srid: int) -> ogc_crs.OgcCrs:
    if srid in ogc_crs.offered_srids():
        return ogc_crs.parse(f"EPSG:{srid}")
    return ogc_crs.OgcCrs(uri=ogc_crs.EPSG_URI.format(srid), srid=srid, flip=False, decimals=3)


def parse(value: str | None, parameter: str) -> ogc_crs.OgcCrs:
    """`value` as an OgcCrs whose `flip` is the axis order the text asks for; None is the default
    (urn:ogc:def:crs:EPSG::4326, latitude first)."""
    text = (value or "").strip()
    if not text:
        return _base(DEFAULT_SRID)
    if _CRS84.match(text):
        return ogc_crs.CRS84_CRS
    for forms, authority in ((_AUTHORITY_FORMS, True), (_XY_FORMS, False)):
        for form in forms:
            match = form.match(text)
            if match and int(match.group(1)) in srids():
                base = _base(int(match.group(1)))
                return base if authority else replace(base, flip=False)
    shown = text if len(text) <= 80 else text[:77] + "..."
    raise KentError(f"Desteklenmeyen koordinat sistemi: {shown}. Desteklenenler: "
                    f"{', '.join(f'EPSG:{s}' for s in srids())}. (Unsupported CRS.)", parameter=parameter)


def authority_order(crs: ogc_crs.OgcCrs) -> ogc_crs.OgcCrs:
    """The same CRS as the pygeofilter translator reads a literal in: its authority's order."""
    return ogc_crs.CRS84_CRS if crs == ogc_crs.CRS84_CRS else _base(crs.srid)


def srs_name(crs: ogc_crs.OgcCrs) -> str:
    """How a response names `crs` (a URN for authority order, EPSG:n for x/y)."""
    if crs == ogc_crs.CRS84_CRS:
        return "urn:ogc:def:crs:OGC:1.3:CRS84"
    return URN.format(crs.srid) if crs.flip or not _base(crs.srid).flip else f"EPSG:{crs.srid}"

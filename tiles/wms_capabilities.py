"""The WMS 1.3.0 capabilities document: the base map and every public registry layer.

Extents come from the data in one query for the feature store and one per typed table; a
layer with no rows yet advertises the extent of all the others. Bounding boxes are written in
each CRS's own axis order (EPSG:4326 and the TUREF/TM zones are northing first in 1.3.0)."""

import xml.etree.ElementTree as ET

from django.db import connection
from django.utils.translation import gettext as _

from geo.models import Layer

from .crs import axis_swapped, from_lonlat_bbox, supported_crs
from .maps import BASEMAP
from .sources import source_of

WMS_NS = "http://www.opengis.net/wms"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = "http://www.opengis.net/wms http://schemas.opengis.net/wms/1.3.0/capabilities_1_3_0.xsd"
TURKEY = (25.6, 35.8, 44.9, 42.2)  # lon/lat fallback extent
MAP_FORMATS = ["image/png", "image/jpeg"]
INFO_FORMATS = ["application/json", "text/plain"]

ET.register_namespace("", WMS_NS)
ET.register_namespace("xlink", XLINK_NS)
ET.register_namespace("xsi", XSI_NS)

Bbox = tuple[float, float, float, float]


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{WMS_NS}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def layer_extents(layers: list[Layer]) -> dict[str, Bbox]:
    """slug -> lon/lat extent of the layer's rows (layers without rows are left out)."""
    out: dict[str, Bbox] = {}
    store = {lyr.pk: lyr.slug for lyr in layers if lyr.is_feature_store}
    with connection.cursor() as cur:
        if store:
            cur.execute("SELECT layer_id, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM ("
                        " SELECT layer_id, ST_Extent(geom) AS e FROM geo_feature WHERE layer_id = ANY(%s)"
                        " GROUP BY layer_id) x", [list(store)])
            out.update({store[row[0]]: tuple(row[1:]) for row in cur.fetchall() if row[1] is not None})
        for layer in layers:
            if layer.is_feature_store:
                continue
            src = source_of(layer)
            cur.execute(f"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
                        f"(SELECT ST_Extent({src.geom_sql}) AS e FROM {src.table} t) x")
            row = cur.fetchone()
            if row and row[0] is not None:
                out[layer.slug] = tuple(row)
    return out


def _union(boxes: list[Bbox]) -> Bbox:
    if not boxes:
        return TURKEY
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _extent(parent: ET.Element, bbox: Bbox) -> None:
    geo = _el(parent, "EX_GeographicBoundingBox")
    for tag, value in zip(("westBoundLongitude", "eastBoundLongitude", "southBoundLatitude", "northBoundLatitude"),
                          (bbox[0], bbox[2], bbox[1], bbox[3]), strict=True):
        _el(geo, tag, f"{value:.6f}")
    for name, srid in supported_crs().items():
        minx, miny, maxx, maxy = from_lonlat_bbox(bbox, srid)
        if axis_swapped(name):
            minx, miny, maxx, maxy = miny, minx, maxy, maxx
        _el(parent, "BoundingBox", CRS=name, minx=f"{minx:.6f}", miny=f"{miny:.6f}", maxx=f"{maxx:.6f}",
            maxy=f"{maxy:.6f}")


def _operation(parent: ET.Element, name: str, formats: list[str], url: str) -> None:
    op = _el(parent, name)
    for f in formats:
        _el(op, "Format", f)
    http = _el(_el(op, "DCPType"), "HTTP")
    _el(_el(http, "Get"), "OnlineResource", **{f"{{{XLINK_NS}}}type": "simple", f"{{{XLINK_NS}}}href": url})


def capabilities(url: str, layers: list[Layer], max_size: int) -> bytes:
    """The GetCapabilities document; `url` is this service's address ending in '?'."""
    root = ET.Element(f"{{{WMS_NS}}}WMS_Capabilities", {"version": "1.3.0", f"{{{XSI_NS}}}schemaLocation": SCHEMA})
    service = _el(root, "Service")
    _el(service, "Name", "WMS")
    _el(service, "Title", _("Kent belediye haritaları (WMS)"))
    _el(service, "Abstract", _("Kent'in altlık haritası ve herkese açık katmanları, Mapnik ile çizilir."))
    _el(service, "OnlineResource", **{f"{{{XLINK_NS}}}type": "simple", f"{{{XLINK_NS}}}href": url})
    _el(service, "Fees", "none")
    _el(service, "AccessConstraints", "none")
    _el(service, "MaxWidth", str(max_size))
    _el(service, "MaxHeight", str(max_size))
    cap = _el(root, "Capability")
    request = _el(cap, "Request")
    _operation(request, "GetCapabilities", ["text/xml"], url)
    _operation(request, "GetMap", MAP_FORMATS, url)
    _operation(request, "GetFeatureInfo", INFO_FORMATS, url)
    _el(_el(cap, "Exception"), "Format", "XML")

    extents = layer_extents(layers)
    everything = _union(list(extents.values()))
    top = _el(cap, "Layer")
    _el(top, "Title", "Kent")
    for name in supported_crs():
        _el(top, "CRS", name)
    _extent(top, everything)
    base = _el(top, "Layer", queryable="0", opaque="1")
    _el(base, "Name", BASEMAP)
    _el(base, "Title", _("Altlık harita"))
    _el(base, "Abstract", _("Mahalleler, yapılar, cadde ve sokaklar, parklar ve yerler."))
    _extent(base, everything)
    for layer in layers:
        el = _el(top, "Layer", queryable="1", opaque="0")
        _el(el, "Name", layer.slug)
        _el(el, "Title", layer.title_tr)
        if layer.abstract:
            _el(el, "Abstract", layer.abstract)
        if layer.keywords:
            words = _el(el, "KeywordList")
            for word in layer.keywords:
                _el(words, "Keyword", str(word))
        _extent(el, extents.get(layer.slug, everything))
        style = _el(el, "Style")
        _el(style, "Name", "default")
        _el(style, "Title", _("Katalogdaki stil"))
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False)

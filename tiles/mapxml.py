"""Mapnik map definitions written as XML strings (ElementTree escapes every value).

A map is plain data until it is rendered: building the XML needs no Mapnik import and no
database connection, and the same XML loads the same map in every worker. Zoom levels are
turned into Mapnik scale denominators here, so styles speak in zooms like the tile URLs do."""

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from django.db import connection

SCALE_Z0 = 559082264.028  # Mapnik's scale denominator at zoom 0 (256 px tiles, 0.28 mm pixels)
ROOT2 = 2**0.5
WORLD_EXTENT_4326 = "-180,-90,180,90"

Attrs = dict[str, str | int | float]


def _s(value: str | int | float) -> str:
    return value if isinstance(value, str) else f"{value:g}"


def sym(kind: str, **attrs: str | int | float) -> ET.Element:
    """A symbolizer, e.g. sym('LineSymbolizer', stroke='#fff', stroke_width=2); _ becomes -."""
    el = ET.Element(kind)
    for key, value in attrs.items():
        if value is not None:
            el.set(key.replace("_", "-"), _s(value))
    return el


def text(expr: str, **attrs: str | int | float) -> ET.Element:
    """A TextSymbolizer whose label is a Mapnik expression such as '[tam_ad]'."""
    el = sym("TextSymbolizer", **attrs)
    el.text = expr
    return el


@dataclass
class Rule:
    symbolizers: list[ET.Element]
    min_zoom: int | None = None
    max_zoom: int | None = None
    filter: str | None = None
    otherwise: bool = False  # Mapnik's ElseFilter: drawn when no other rule's filter matched

    def element(self) -> ET.Element:
        el = ET.Element("Rule")
        if self.min_zoom is not None:
            ET.SubElement(el, "MaxScaleDenominator").text = f"{SCALE_Z0 / (1 << self.min_zoom) * ROOT2:.2f}"
        if self.max_zoom is not None:
            ET.SubElement(el, "MinScaleDenominator").text = f"{SCALE_Z0 / (1 << self.max_zoom) / ROOT2:.2f}"
        if self.filter:
            ET.SubElement(el, "Filter").text = self.filter
        if self.otherwise:
            ET.SubElement(el, "ElseFilter")
        el.extend(self.symbolizers)
        return el


@dataclass
class MapLayer:
    """One Mapnik layer: a SQL subquery (alias-free; `!bbox!` is filled in by Mapnik) and its styles."""

    name: str
    sql: str
    styles: dict[str, list[Rule]]
    srid: int = 4326
    simplify: bool = False
    extra: Attrs = field(default_factory=dict)


def _db_params() -> dict[str, str]:
    """Mapnik's PostGIS plugin opens its own connections, with Django's settings (test DB included)."""
    s = connection.settings_dict
    params = {"dbname": s["NAME"], "user": s.get("USER") or "", "password": s.get("PASSWORD") or "",
              "host": s.get("HOST") or "", "port": str(s.get("PORT") or "")}
    return {k: v for k, v in params.items() if v}


def map_xml(layers: list[MapLayer], *, srs: str = "epsg:3857", background: str | None = None,
            buffer_px: int = 128) -> str:
    """The complete Mapnik XML of a map drawing `layers` in order (first at the bottom)."""
    root = ET.Element("Map", {"srs": srs, "buffer-size": str(buffer_px)})
    if background:
        root.set("background-color", background)
    db = _db_params()
    for layer in layers:
        for style_name, rules in layer.styles.items():
            style = ET.SubElement(root, "Style", {"name": style_name})
            style.extend(r.element() for r in rules)
    for layer in layers:
        el = ET.SubElement(root, "Layer", {"name": layer.name, "srs": f"epsg:{int(layer.srid)}"})
        for style_name in layer.styles:
            ET.SubElement(el, "StyleName").text = style_name
        ds = ET.SubElement(el, "Datasource")
        params: Attrs = {
            "type": "postgis", **db, "table": f"({layer.sql}) AS data", "geometry_field": "geom",
            "srid": int(layer.srid), "extent": WORLD_EXTENT_4326, "estimate_extent": "false",
            "simplify_geometries": "true" if layer.simplify else "false", "max_size": 4, **layer.extra,
        }
        for key, value in params.items():
            ET.SubElement(ds, "Parameter", {"name": key}).text = _s(value)
    return ET.tostring(root, encoding="unicode")

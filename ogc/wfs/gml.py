"""GeoJSON features (as PostGIS wrote them, already in the answer's CRS and axis order) as GML 3.2
members of a wfs:FeatureCollection. Geometries are promoted to the multi type the schema declares
for the layer (describe.GEOMETRY_TYPES), so the document matches its own DescribeFeatureType."""

import json
from collections.abc import Iterable
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .describe import GEOMETRY

PROMOTE = {"point": ("Point", "MultiPoint"), "line": ("LineString", "MultiLineString"),
           "polygon": ("Polygon", "MultiPolygon")}


def _pos_list(ring: Iterable[Iterable[float]]) -> str:
    return " ".join(f"{c[0]} {c[1]}" for c in ring)


def _polygon(rings: list[Any], gid: str, srs: str) -> str:
    def ring(r: list[Any]) -> str:
        return f"<gml:LinearRing><gml:posList>{_pos_list(r)}</gml:posList></gml:LinearRing>"

    inner = "".join(f"<gml:interior>{ring(r)}</gml:interior>" for r in rings[1:])
    return f'<gml:Polygon gml:id="{gid}"{srs}><gml:exterior>{ring(rings[0])}</gml:exterior>{inner}</gml:Polygon>'


def _part(kind: str, coords: Any, gid: str) -> str:
    return geometry({"type": kind, "coordinates": coords}, gid, "", top=False)


def geometry(geom: dict[str, Any], gid: str, srs_name: str, top: bool = True) -> str:
    """One geometry element; `srs_name` is written on the outermost one only."""
    srs = f" srsName={quoteattr(srs_name)} srsDimension=\"2\"" if top else ""
    kind, coords = geom["type"], geom.get("coordinates")
    if kind == "Point":
        return f'<gml:Point gml:id="{gid}"{srs}><gml:pos>{coords[0]} {coords[1]}</gml:pos></gml:Point>'
    if kind == "LineString":
        return f'<gml:LineString gml:id="{gid}"{srs}><gml:posList>{_pos_list(coords)}</gml:posList></gml:LineString>'
    if kind == "Polygon":
        return _polygon(coords, gid, srs)
    if kind == "MultiPoint":
        members = "".join(f"<gml:pointMember>{_part('Point', c, f'{gid}.{i}')}</gml:pointMember>"
                          for i, c in enumerate(coords))
        return f'<gml:MultiPoint gml:id="{gid}"{srs}>{members}</gml:MultiPoint>'
    if kind == "MultiLineString":
        members = "".join(f"<gml:curveMember>{_part('LineString', c, f'{gid}.{i}')}</gml:curveMember>"
                          for i, c in enumerate(coords))
        return f'<gml:MultiCurve gml:id="{gid}"{srs}>{members}</gml:MultiCurve>'
    if kind == "MultiPolygon":
        members = "".join(f"<gml:surfaceMember>{_polygon(c, f'{gid}.{i}', '')}</gml:surfaceMember>"
                          for i, c in enumerate(coords))
        return f'<gml:MultiSurface gml:id="{gid}"{srs}>{members}</gml:MultiSurface>'
    members = "".join(f"<gml:geometryMember>{geometry(g, f'{gid}.{i}', '', False)}</gml:geometryMember>"
                      for i, g in enumerate(geom.get("geometries") or []))
    return f'<gml:MultiGeometry gml:id="{gid}"{srs}>{members}</gml:MultiGeometry>'


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return escape(json.dumps(value, ensure_ascii=False))
    return escape(str(value))


def member(feature: dict[str, Any], slug: str, names: list[str], family: str | None, srs_name: str) -> str:
    """One wfs:member; `names` are the attributes to write (those the schema declares, in its order)."""
    fid = f"{slug}.{feature['id']}"
    parts = []
    geom = feature.get("geometry")
    if geom:
        single, multi = PROMOTE.get(family or "", (None, None))
        if geom["type"] == single:
            geom = {"type": multi, "coordinates": [geom["coordinates"]]}
        parts.append(f"<kent:{GEOMETRY}>{geometry(geom, fid + '.g', srs_name)}</kent:{GEOMETRY}>")
    props = feature.get("properties") or {}
    for name in names:
        value = props.get(name)
        if value is not None:
            parts.append(f"<kent:{name}>{_value(value)}</kent:{name}>")
    return f'<wfs:member><kent:{slug} gml:id="{escape(fid)}">{"".join(parts)}</kent:{slug}></wfs:member>'

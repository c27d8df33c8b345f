"""Reading an OpenStreetMap XML export (.osm) with the standard library, and building shapely
geometries from its nodes, ways and multipolygon relations.

An export from openstreetmap.org holds every node inside <bounds>, every way touching them in
full, and the relations those belong to, usually without their other members: boundary relations
are therefore often incomplete, which osm_areas deals with."""

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import shapely
from django.utils.translation import gettext as _
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from .geometry import as_multipolygon


class OsmError(Exception):
    """The file is not a readable OSM XML export."""


@dataclass
class Element:
    kind: str  # node, way, relation
    id: int
    tags: dict[str, str]
    refs: list[int] = field(default_factory=list)  # way: node ids
    members: list[tuple[str, int, str]] = field(default_factory=list)  # relation: (type, ref, role)

    @property
    def ref(self) -> str:
        """'node/123', the way OSM names an object."""
        return f"{self.kind}/{self.id}"


@dataclass
class OsmData:
    bounds: Polygon | None
    coords: dict[int, tuple[float, float]]
    nodes: list[Element]  # tagged nodes only
    ways: dict[int, Element]
    relations: list[Element]
    newest: datetime | None

    def point(self, node: Element) -> Point:
        return Point(self.coords[node.id])

    def line(self, way: Element) -> LineString | None:
        pts = [self.coords[r] for r in way.refs if r in self.coords]
        return LineString(pts) if len(pts) >= 2 else None

    def area(self, way: Element) -> MultiPolygon | None:
        """A closed way as an area (repaired if it self-intersects)."""
        if len(way.refs) < 4 or way.refs[0] != way.refs[-1]:
            return None
        pts = [self.coords[r] for r in way.refs if r in self.coords]
        return as_multipolygon(Polygon(pts)) if len(pts) >= 4 else None

    def member_lines(self, rel: Element, roles: set[str] | None = None) -> list[LineString]:
        lines = [self.line(self.ways[ref]) for kind, ref, role in rel.members
                 if kind == "way" and ref in self.ways and (roles is None or role in roles)]
        return [ln for ln in lines if ln is not None]

    def is_complete(self, rel: Element) -> bool:
        return all(ref in self.ways for kind, ref, _ in rel.members if kind == "way")

    def multipolygon(self, rel: Element) -> MultiPolygon | None:
        """Outer rings minus inner rings, whatever way pieces they are drawn from."""
        outer = shapely.polygonize(self.member_lines(rel, {"outer", ""}))
        inner = shapely.polygonize(self.member_lines(rel, {"inner"}))
        outer = shapely.union_all(shapely.get_parts(outer))
        return as_multipolygon(outer.difference(shapely.union_all(shapely.get_parts(inner))))

    def geometry(self, el: Element) -> BaseGeometry | None:
        """Point, area or line: what an element looks like on the map."""
        if el.kind == "node":
            return self.point(el)
        if el.kind == "way":
            return self.area(el) if el.refs[0] == el.refs[-1] and len(el.refs) >= 4 else self.line(el)
        return self.multipolygon(el) if el.tags.get("type") in ("multipolygon", "boundary") else None

    def extent(self) -> Polygon:
        """The export's <bounds>, or the box around its nodes when it has none."""
        if self.bounds is not None:
            return self.bounds
        xs, ys = zip(*self.coords.values(), strict=True)
        return box(min(xs), min(ys), max(xs), max(ys))

    def elements(self) -> list[Element]:
        return self.nodes + list(self.ways.values()) + self.relations


def _tags(elem: ET.Element) -> dict[str, str]:
    return {t.get("k", ""): t.get("v", "") for t in elem.iter("tag")}


def parse_osm(path: Path, wrap: Callable[[BinaryIO], BinaryIO] = lambda f: f) -> OsmData:
    """Read the whole file; `wrap` lets the caller watch the bytes go by (a progress bar)."""
    coords: dict[int, tuple[float, float]] = {}
    nodes: list[Element] = []
    ways: dict[int, Element] = {}
    relations: list[Element] = []
    bounds, newest = None, ""
    try:
        with path.open("rb") as raw:
            root = None
            for event, elem in ET.iterparse(wrap(raw), events=("start", "end")):
                if root is None:
                    if elem.tag != "osm":
                        raise OsmError(_("kök öğe <{tag}>, <osm> bekleniyordu").format(tag=elem.tag))
                    root = elem
                    continue
                if event != "end" or elem.tag not in ("node", "way", "relation", "bounds"):
                    continue
                if elem.tag == "bounds":
                    bounds = box(float(elem.get("minlon")), float(elem.get("minlat")),
                                 float(elem.get("maxlon")), float(elem.get("maxlat")))
                elif elem.get("visible") != "false":
                    newest = max(newest, elem.get("timestamp", ""))
                    oid, tags = int(elem.get("id")), _tags(elem)
                    if elem.tag == "node":
                        coords[oid] = (float(elem.get("lon")), float(elem.get("lat")))
                        if tags:
                            nodes.append(Element("node", oid, tags))
                    elif elem.tag == "way":
                        ways[oid] = Element("way", oid, tags, refs=[int(n.get("ref")) for n in elem.iter("nd")])
                    else:
                        relations.append(Element("relation", oid, tags, members=[
                            (m.get("type", ""), int(m.get("ref")), m.get("role", "")) for m in elem.iter("member")]))
                root.clear()
    except ET.ParseError as exc:
        line, column = exc.position
        raise OsmError(_("XML hatası, satır {line} sütun {column}: {error}").format(
            line=line, column=column, error=exc)) from exc
    except (TypeError, ValueError) as exc:
        raise OsmError(_("eksik ya da bozuk öznitelik: {error}").format(error=exc)) from exc
    if not coords:
        raise OsmError(_("dosyada hiç düğüm (node) yok"))
    stamp = datetime.fromisoformat(newest.replace("Z", "+00:00")) if newest else None
    return OsmData(bounds=bounds, coords=coords, nodes=nodes, ways=ways, relations=relations, newest=stamp)

"""Mahalle and ilçe areas from an OSM export, even when the boundary relations are incomplete.

A relation whose member ways are all present gives its exact polygon. An export usually cuts
them: then the boundary ways that are present split the export's frame into faces, and each face
goes to the relation whose members draw most of its edge (ties: the relation's label node inside
the face, then addr:* tags and place nodes naming it). Such areas are marked approximate. With no
boundary relations at all, place=neighbourhood/suburb/quarter nodes give Voronoi cells."""

import re
from collections import Counter
from dataclasses import dataclass

import shapely
from shapely.geometry import MultiPoint, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from numarataj.services.match_index import mahalle_key

from .geometry import as_multipolygon
from .osm import Element, OsmData

EPS = 1e-6  # degrees (~0.1 m), to compare lines drawn from the same nodes
MAHALLE_LEVELS = ("8", "9", "10")
PLACE_NODES = ("neighbourhood", "suburb", "quarter")


@dataclass
class Area:
    name: str
    geom: MultiPolygon
    exact: bool


Hint = tuple[Point, str]  # a point and the area name something there claims to be in


def short_mahalle_name(name: str) -> str:
    """'Bahçelievler Mahallesi', 'Bahçelievler Mah.' -> 'Bahçelievler'."""
    return re.sub(r"\s+(mahallesi|mahalle|mah\.?|mh\.?)$", "", name.strip(), flags=re.IGNORECASE).strip()


def _faces(lines: list[BaseGeometry], frame: Polygon) -> list[Polygon]:
    clipped = [ln.intersection(frame) for ln in lines]
    noded = shapely.union_all([g for g in clipped if not g.is_empty] + [frame.exterior])
    return [f for f in shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))) if f.area > 0]


def _assign(faces: list[Polygon], rels: list[Element], data: OsmData, frame: Polygon,
            hints: list[Hint], name_of: dict[int, str]) -> dict[int, list[Polygon]]:
    """Face -> relation by edge coverage, label node, then hints; each relation gets a face first."""
    drawn = {r.id: shapely.union_all(data.member_lines(r)).buffer(EPS) for r in rels}
    labels = {r.id: [Point(data.coords[ref]) for kind, ref, role in r.members
                     if kind == "node" and role in ("label", "admin_centre") and ref in data.coords] for r in rels}
    outside = frame.exterior.buffer(EPS)
    scores: list[tuple[tuple, int, int]] = []
    best_cover: dict[int, float] = {}
    for fi, face in enumerate(faces):
        edge = face.boundary.difference(outside)
        claims = Counter(mahalle_key(name) for p, name in hints if face.contains(p))
        for ri, r in enumerate(rels):
            touches = edge.length and edge.intersects(drawn[r.id])
            cover = round(edge.intersection(drawn[r.id]).length / edge.length, 3) if touches else 0.0
            label = any(face.contains(p) for p in labels[r.id])
            votes = claims[mahalle_key(name_of[r.id])]
            scores.append(((cover, label, votes, -ri), fi, ri))
            best_cover[fi] = max(best_cover.get(fi, 0.0), cover)
    scores.sort(reverse=True)
    owner: dict[int, int] = {}
    used: set[int] = set()
    for (cover, *_), fi, ri in scores:  # first pass: one face per relation, among each face's best edges
        if fi not in owner and ri not in used and cover == best_cover[fi]:
            owner[fi] = ri
            used.add(ri)
    for _score, fi, ri in scores:  # then every other face to its best relation
        owner.setdefault(fi, ri)
    out: dict[int, list[Polygon]] = {}
    for fi, ri in sorted(owner.items()):
        out.setdefault(rels[ri].id, []).append(faces[fi])
    return out


def areas_from_relations(data: OsmData, rels: list[Element], frame: Polygon, hints: list[Hint],
                         name_of: dict[int, str]) -> list[Area]:
    exact = {r.id: g for r in rels if data.is_complete(r) and (g := data.multipolygon(r)) is not None}
    partial = [r for r in rels if r.id not in exact and data.member_lines(r)]
    faces = _faces([ln for r in partial for ln in data.member_lines(r)], frame) if partial else []
    owned = _assign(faces, partial, data, frame, hints, name_of) if faces else {}
    taken = shapely.union_all(list(exact.values())) if exact else Polygon()
    areas = []
    for r in rels:
        if r.id in exact:
            areas.append(Area(name_of[r.id], exact[r.id], exact=True))
        elif r.id in owned and (geom := as_multipolygon(shapely.union_all(owned[r.id]).difference(taken))):
            areas.append(Area(name_of[r.id], geom, exact=False))
    return _merge_same_names(areas)


def _merge_same_names(areas: list[Area]) -> list[Area]:
    merged: dict[str, Area] = {}
    for a in areas:
        if a.name in merged:
            old = merged[a.name]
            merged[a.name] = Area(a.name, as_multipolygon(old.geom.union(a.geom)), old.exact and a.exact)
        else:
            merged[a.name] = a
    return list(merged.values())


def voronoi_areas(points: list[Hint], frame: Polygon) -> list[Area]:
    """One approximate cell per named place node, clipped to the frame."""
    if len(points) == 1:
        return [Area(points[0][1], MultiPolygon([frame]), exact=False)]
    cells = shapely.get_parts(shapely.voronoi_polygons(MultiPoint([p for p, _ in points]), extend_to=frame,
                                                       ordered=True))
    areas = [Area(name, as_multipolygon(cell.intersection(frame)), exact=False)
             for (_, name), cell in zip(points, cells, strict=True)]
    return _merge_same_names([a for a in areas if a.geom is not None])


def _admin(data: OsmData, levels: tuple[str, ...]) -> list[Element]:
    rels = [r for r in data.relations if r.tags.get("boundary") == "administrative" and r.tags.get("name")]
    for level in levels:
        found = [r for r in rels if r.tags.get("admin_level") == level]
        if found:
            return found
    return []


def mahalle_areas(data: OsmData, frame: Polygon, hints: list[Hint], place_nodes: list[Hint]) -> list[Area]:
    """From boundary relations, else place nodes (Voronoi), else one area for the whole frame.
    Hint and place-node names come already shortened ('Bahçelievler', not '... Mahallesi')."""
    rels = _admin(data, MAHALLE_LEVELS) or [r for r in data.relations
                                            if r.tags.get("place") == "neighbourhood" and r.tags.get("name")]
    if rels:
        names = {r.id: short_mahalle_name(r.tags["name"]) for r in rels}
        areas = areas_from_relations(data, rels, frame, hints + place_nodes, names)
        if areas:
            return areas
    if place_nodes:
        return voronoi_areas(place_nodes, frame)
    return [Area(most_named(hints) or "Merkez", MultiPolygon([frame]), exact=False)]


def ilce_areas(data: OsmData, frame: Polygon, hints: list[Hint]) -> list[Area]:
    rels = _admin(data, ("6",))
    return areas_from_relations(data, rels, frame, hints, {r.id: r.tags["name"] for r in rels}) if rels else []


def most_named(hints: list[Hint]) -> str | None:
    """The name the most hints give, as written by the first one that gave it."""
    return Counter(name for _, name in hints).most_common(1)[0][0] if hints else None

"""One real district as the tile build_city copies: its streets, building footprints, a door for
every building and the mahalleler, read from an OpenStreetMap export at run time.

The export goes through the OSM importer (osm_district) with foot- and cycleways left out, so
every CSBM is a street a door can face. Each building gets a door on the footprint's point
nearest its nearest street, and keeps it only when that street lies within DOOR_REACH_M (the
MAKS rule is 60 m); doors are numbered along each street, odd on the left, even on the right.
Mahalle areas are made disjoint (smallest first) so every copied building has one mahalle.
Buildings are ordered west to east, so a partial tile is a compact strip."""

import random
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import shapely
from django.conf import settings
from shapely.geometry import MultiLineString, MultiPolygon, Point, box
from shapely.geometry.base import BaseGeometry

from numarataj.models import Adres, CsbmTuru

from .demo.buildings import FLOORS
from .generator import _bolumler
from .geometry import as_multipolygon, to_metric, transformer
from .osm import parse_osm
from .osm_district import district_from_osm
from .register import MIN_SHARED_LENGTH

FOOTWAYS = {"footway", "cycleway", "path", "steps", "pedestrian", "bridleway", "corridor", "track"}
DOOR_REACH_M = 45.0  # a template door's street is at most this far (jitter and rotation keep it < 60 m)
DOOR_STEP_M = 1.0  # the door point stands this far out of the wall, towards the street


@dataclass
class TemplateStreet:
    tur: str
    numbered: bool
    geom: MultiLineString  # lon/lat
    mahalleler: list[int]


@dataclass
class TemplateBuilding:
    geom: MultiPolygon  # lon/lat
    door: Point  # lon/lat
    mahalle: int
    street: int
    kapi_no: str
    taraf: str
    kat_ust: int
    kat_alt: int
    kullanim: str
    bolumler: list[tuple[int, str]]  # (kat, kullanım)


@dataclass
class Template:
    mahalleler: list[MultiPolygon]  # lon/lat, disjoint
    streets: list[TemplateStreet]
    buildings: list[TemplateBuilding]
    frame: tuple[float, float, float, float]  # lon/lat bounds of everything above
    dropped: int  # buildings with no street within DOOR_REACH_M


def _disjoint(areas: list[BaseGeometry], frame: BaseGeometry) -> list[MultiPolygon | None]:
    order = sorted(range(len(areas)), key=lambda i: areas[i].area)
    taken: BaseGeometry = shapely.Point()
    out: list[MultiPolygon | None] = [None] * len(areas)
    for i in order:
        out[i] = as_multipolygon(areas[i].intersection(frame).difference(taken))
        taken = taken.union(areas[i])
    return out


def _side(line: BaseGeometry, station: float, door: Point) -> int:
    """1 when the door is left of the street's direction at `station`, else -1."""
    a, b = line.interpolate(station), line.interpolate(min(station + 1.0, line.length))
    if a.equals(b):
        a = line.interpolate(max(station - 1.0, 0.0))
    cross = (b.x - a.x) * (door.y - a.y) - (b.y - a.y) * (door.x - a.x)
    return 1 if cross >= 0 else -1


def load_template(osm: Path, seed: int) -> Template:
    """The tile from the export; `seed` only chooses floors and flats where OSM has none."""
    data = parse_osm(osm)
    data = replace(data, ways={k: w for k, w in data.ways.items() if w.tags.get("highway") not in FOOTWAYS})
    d = district_from_osm(data)
    rng = random.Random(seed)
    streets_ll = [s.geom for s in d.csbmler]
    streets_m = [to_metric(g) for g in streets_ll]
    tree = shapely.STRtree(streets_m)
    kept: list[tuple[int, BaseGeometry, int, float, Point]] = []  # (yapı index, footprint m, street, station, door)
    for i, y in enumerate(d.yapilar):
        fp = to_metric(y.geom)
        j = int(tree.query_nearest(fp, all_matches=False)[0])
        line = streets_m[j]
        if fp.distance(line) > DOOR_REACH_M:
            continue
        wall, road = shapely.shortest_line(fp, line).coords
        vx, vy = road[0] - wall[0], road[1] - wall[1]
        norm = float(np.hypot(vx, vy)) or 1.0
        door = Point(wall[0] + vx / norm * DOOR_STEP_M, wall[1] + vy / norm * DOOR_STEP_M)
        kept.append((i, fp, j, line.project(door), door))

    numbers: dict[int, str] = {}
    sides: dict[int, int] = {}
    by_side: dict[tuple[int, int], list[tuple[float, int]]] = {}
    for i, _, j, station, door in kept:
        sides[i] = _side(streets_m[j], station, door)
        by_side.setdefault((j, sides[i]), []).append((station, i))
    for (_, side), row in by_side.items():
        for n, (_, i) in enumerate(sorted(row)):
            numbers[i] = str(2 * n + 1 if side == 1 else 2 * n + 2)

    frame = box(*shapely.union_all([d.yapilar[i].geom for i, *_ in kept] + streets_ll).bounds).buffer(0.0004)
    mahalleler = _disjoint([m.geom for m in d.mahalleler], frame)
    keep_mah = [k for k, g in enumerate(mahalleler) if g is not None]
    mah_geoms = [mahalleler[k] for k in keep_mah]
    mah_tree = shapely.STRtree(mah_geoms)
    doors_ll = _unproject([door for *_, door in kept])
    buildings = []
    for (i, _, j, _, _), door_ll in zip(kept, doors_ll, strict=True):
        y = d.yapilar[i]
        inside = mah_tree.query(y.geom.point_on_surface(), predicate="within")
        mah = int(inside[0]) if len(inside) else int(mah_tree.query_nearest(y.geom, all_matches=False)[0])
        tur = CsbmTuru(d.csbmler[j].tur)
        kat_ust = y.kat_ust if y.kat_ust > 1 else rng.choice(FLOORS.get(tur, FLOORS[CsbmTuru.SOKAK]))
        b = TemplateBuilding(geom=y.geom, door=door_ll, mahalle=mah, street=j, kapi_no=numbers[i],
                             taraf=Adres.Taraf.SOL if sides[i] == 1 else Adres.Taraf.SAG, kat_ust=kat_ust,
                             kat_alt=y.kat_alt, kullanim=y.kullanim, bolumler=[])
        b.bolumler = _bolumler(rng, b)
        buildings.append(b)
    buildings.sort(key=lambda b: (b.door.x, b.door.y))
    streets = [TemplateStreet(tur=s.tur, numbered=s.numara is not None, geom=s.geom,
                              mahalleler=[k for k, m in enumerate(mah_geoms)
                                          if shapely.intersection(s.geom, m).length > MIN_SHARED_LENGTH])
               for s in d.csbmler]
    return Template(mahalleler=mah_geoms, streets=streets, buildings=buildings, frame=frame.bounds,
                    dropped=len(d.yapilar) - len(kept))


def _unproject(points: list[Point]) -> list[Point]:
    """Local metres back to storage lon/lat."""
    if not points:
        return []
    xy = np.array([(p.x, p.y) for p in points])
    lon, lat = transformer(settings.LOCAL_SRID, settings.STORAGE_SRID).transform(xy[:, 0], xy[:, 1])
    return [Point(x, y) for x, y in zip(lon, lat, strict=True)]

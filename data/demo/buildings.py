"""Building footprints along the plan's streets, each with a door on its street and a door number.

Rectangles stand on both sides of every street, set back from the centreline by half the road
width plus a front yard, with side gaps as in 'ayrık nizam' (detached) zoning. Bigger and taller
ones face boulevards and caddes, which are filled first; sokaks fill what is left. Numbers are a
plain walk along each street (odd on the left, even on the right); the numbering engine comes later."""

import random
from dataclasses import dataclass

import shapely
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

from numarataj.models import CsbmTuru, Yapi

from .layout import Plan, Street

K = Yapi.Kullanim
FRONTAGE = {CsbmTuru.BULVAR: (20.0, 32.0), CsbmTuru.CADDE: (16.0, 26.0), CsbmTuru.SOKAK: (11.0, 19.0)}
DEPTH = {CsbmTuru.BULVAR: (16.0, 24.0), CsbmTuru.CADDE: (13.0, 20.0), CsbmTuru.SOKAK: (10.0, 16.0)}
YARD = {CsbmTuru.BULVAR: (4.0, 7.0), CsbmTuru.CADDE: (3.0, 6.0), CsbmTuru.SOKAK: (3.0, 5.0)}
FLOORS = {CsbmTuru.BULVAR: [6, 7, 8, 8, 9, 10, 10, 11, 12], CsbmTuru.CADDE: [4, 5, 5, 6, 6, 7, 8],
          CsbmTuru.SOKAK: [1, 2, 2, 3, 3, 4, 4, 4, 5, 5]}
BASEMENTS = {CsbmTuru.BULVAR: [1, 1, 2, 2, 3], CsbmTuru.CADDE: [0, 1, 1, 2], CsbmTuru.SOKAK: [0, 0, 0, 0, 1]}
USES = {CsbmTuru.BULVAR: ([K.KONUT, K.KARMA, K.ISYERI], [30, 45, 25]),
        CsbmTuru.CADDE: ([K.KONUT, K.KARMA, K.ISYERI], [40, 40, 20]),
        CsbmTuru.SOKAK: ([K.KONUT, K.KARMA, K.ISYERI, K.DIGER], [82, 10, 5, 3])}
APARTMAN = ["Huzur", "Deniz", "Güneş", "Nur", "Ferah", "Bahar", "Sevgi", "Umut", "Çiçek", "Mavi", "Kardelen",
            "İpek", "Barış", "Ayyıldız", "Gökçe", "Yeşil", "Akasya", "Dostlar", "Kardeşler", "Pınar", "Ekin",
            "Selvi", "Yakut", "Zümrüt", "Feza", "Başak", "Aydın", "Özgür", "Uğur", "Ilgaz"]
IS_MERKEZI = ["Kent", "Merkez", "Yeni", "Vadi", "Park", "Başkent", "Anadolu", "Atlas"]
SPACING = 3.0  # metres between neighbouring buildings


@dataclass
class Building:
    key: str
    poly: Polygon
    street: Street
    side: int  # +1 left of the street's direction, -1 right
    s: float  # distance along the street
    door: Point
    kat_ust: int
    kat_alt: int
    kullanim: str
    ad: str = ""
    kapi_no: str = ""
    maks_id: str = ""


class _Grid:
    """A spatial hash of placed footprints, for cheap 'is anything within 3 m?' checks."""

    def __init__(self, cell: float = 50.0) -> None:
        self.cell, self.cells = cell, {}

    def _keys(self, geom: BaseGeometry) -> list[tuple[int, int]]:
        x0, y0, x1, y1 = geom.bounds
        c = self.cell
        return [(i, j) for i in range(int(x0 // c) - 1, int(x1 // c) + 2)
                for j in range(int(y0 // c) - 1, int(y1 // c) + 2)]

    def near(self, geom: BaseGeometry, distance: float) -> bool:
        around = [g for k in self._keys(geom) for g in self.cells.get(k, ())]
        return bool(around) and bool(shapely.dwithin(geom, around, distance).any())

    def add(self, geom: BaseGeometry) -> None:
        x0, y0, _, _ = geom.bounds
        self.cells.setdefault((int(x0 // self.cell), int(y0 // self.cell)), []).append(geom)


def _attributes(rng: random.Random, tur: CsbmTuru) -> tuple[int, int, str, str]:
    kat_ust = rng.choice(FLOORS[tur])
    kat_alt = rng.choice(BASEMENTS[tur])
    uses, weights = USES[tur]
    kullanim = str(rng.choices(uses, weights)[0])
    ad = ""
    if kullanim in (K.KONUT, K.KARMA) and kat_ust >= 3 and rng.random() < 0.35:
        ad = f"{rng.choice(APARTMAN)} Apartmanı"
    elif kullanim == K.ISYERI and tur != CsbmTuru.SOKAK and rng.random() < 0.4:
        ad = f"{rng.choice(IS_MERKEZI)} İş Merkezi"
    return kat_ust, kat_alt, kullanim, ad


def place_buildings(rng: random.Random, plan: Plan, reserved: BaseGeometry) -> list[Building]:
    """Footprints along every street except squares, major streets first."""
    blocked = shapely.union_all([plan.corridors, reserved])
    shapely.prepare(blocked)
    district = plan.district
    shapely.prepare(district)
    grid, placed = _Grid(), []
    rank = {CsbmTuru.BULVAR: 0, CsbmTuru.CADDE: 1, CsbmTuru.SOKAK: 2}
    streets = sorted((s for s in plan.streets if s.tur != CsbmTuru.MEYDAN), key=lambda s: rank[CsbmTuru(s.tur)])
    for street in streets:
        tur = CsbmTuru(street.tur)
        (ax, ay), (bx, by) = street.line.coords[0], street.line.coords[-1]
        length = street.line.length
        tx, ty = (bx - ax) / length, (by - ay) / length
        for side in (1, -1):
            nx, ny = -ty * side, tx * side
            s = 2.0
            while s < length - 8:
                w, d = rng.uniform(*FRONTAGE[tur]), rng.uniform(*DEPTH[tur])
                front = street.half_width + rng.uniform(*YARD[tur])
                px, py = ax + tx * s, ay + ty * s
                corners = [(px + nx * front, py + ny * front), (px + tx * w + nx * front, py + ty * w + ny * front),
                           (px + tx * w + nx * (front + d), py + ty * w + ny * (front + d)),
                           (px + nx * (front + d), py + ny * (front + d))]
                poly = Polygon(corners)
                if district.contains(poly) and not blocked.intersects(poly) and not grid.near(poly, SPACING):
                    door = Point(px + tx * w / 2 + nx * (front - 0.5), py + ty * w / 2 + ny * (front - 0.5))
                    kat_ust, kat_alt, kullanim, ad = _attributes(rng, tur)
                    placed.append(Building(key=f"y{len(placed) + 1}", poly=poly, street=street, side=side, s=s,
                                           door=door, kat_ust=kat_ust, kat_alt=kat_alt, kullanim=kullanim, ad=ad))
                    grid.add(poly)
                    s += w + rng.uniform(SPACING, 8.0)
                else:
                    s += 3.0
    return placed


def number_doors(buildings: list[Building]) -> None:
    """Odd numbers on the left, even on the right, rising along the street."""
    by_side: dict[tuple[str, int], list[Building]] = {}
    for b in buildings:
        by_side.setdefault((b.street.key, b.side), []).append(b)
    for (_, side), row in by_side.items():
        for i, b in enumerate(sorted(row, key=lambda b: b.s)):
            b.kapi_no = str(2 * i + 1 if side == 1 else 2 * i + 2)

"""The demo district's plan in metres: a street grid like Ankara's planned districts (Bahçelievler,
Emek): boulevards crossing at a square, caddes every 300-400 m, numbered sokaks between them.

Coordinates are plan metres (x east, y north, origin at the district's centre); `frame.py` rotates
and places them on the map. Everything random comes from the caller's random.Random."""

import random
from dataclasses import dataclass, field

import shapely
from shapely.geometry import LineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from numarataj.models import CsbmTuru

XS = (-800.0, -400.0, 0.0, 400.0, 800.0)  # north-south arterials
YS = (-600.0, -300.0, 0.0, 300.0, 600.0)  # east-west arterials
MAIN_SQUARE = Point(0.0, 0.0)  # Gazi Meydanı, where the two boulevards cross: the district's main square
MARGIN = 70.0  # district boundary beyond the outer caddes, room for their outer buildings
HALF_WIDTH = {CsbmTuru.BULVAR: 20.0, CsbmTuru.CADDE: 12.0, CsbmTuru.SOKAK: 6.0, CsbmTuru.MEYDAN: 8.0}

# (column, row) -> name; columns split at the north-south boulevard, rows at the caddes y=±300.
MAHALLE_NAMES = {(0, 0): "Yıldız", (1, 0): "Cumhuriyet", (0, 1): "Bahçelievler", (1, 1): "Esentepe",
                 (0, 2): "Gülveren", (1, 2): "Yenidoğan"}
ARTERIAL_NAMES = {("x", -800.0): "Mimar Sinan", ("x", -400.0): "Atatürk", ("x", 0.0): "İnönü",
                  ("x", 400.0): "Fevzi Çakmak", ("x", 800.0): "Kazım Karabekir", ("y", -600.0): "Hürriyet",
                  ("y", -300.0): "Necatibey", ("y", 0.0): "Cumhuriyet", ("y", 300.0): "Zübeyde Hanım",
                  ("y", 600.0): "Bağlar"}
SOKAK_NAMES = ["Lale", "Menekşe", "Akasya", "Ihlamur", "Papatya", "Karanfil", "Sümbül", "Nergis", "Zambak",
               "Çınar", "Söğüt", "Ardıç", "Meltem", "Yakamoz", "Gökkuşağı", "Begonvil", "Manolya", "Defne",
               "Kardelen", "Erguvan", "Leylak", "Yasemin", "Fesleğen", "Mimoza"]


@dataclass
class Street:
    key: str
    tur: str
    line: LineString
    ad: str = ""
    numara: int | None = None
    mahalle: str | None = None

    @property
    def tam_ad(self) -> str:
        return f"{self.numara}. Sokak" if self.numara is not None else f"{self.ad} {CsbmTuru(self.tur).suffix}"

    @property
    def half_width(self) -> float:
        return HALF_WIDTH[CsbmTuru(self.tur)]


@dataclass
class MahallePlan:
    key: str
    ad: str
    geom: Polygon
    sokak_base: int


@dataclass
class Plan:
    mahalleler: list[MahallePlan]
    streets: list[Street]
    district: Polygon
    corridors: BaseGeometry
    blocks: list[Polygon] = field(default_factory=list)

    def mahalle_at(self, pt: Point) -> MahallePlan:
        return next((m for m in self.mahalleler if m.geom.covers(pt)), self.mahalleler[0])


def _outline(rng: random.Random) -> Polygon:
    """The district's outer boundary: a rectangle around the outer caddes, pushed out unevenly."""
    x0, x1, y0, y1 = XS[0] - MARGIN, XS[-1] + MARGIN, YS[0] - MARGIN, YS[-1] + MARGIN
    pts: list[tuple[float, float]] = []
    sides = [((x0, y0), (x1, y0), (0, -1)), ((x1, y0), (x1, y1), (1, 0)),
             ((x1, y1), (x0, y1), (0, 1)), ((x0, y1), (x0, y0), (-1, 0))]
    for (ax, ay), (bx, by), (nx, ny) in sides:
        steps = int(max(abs(bx - ax), abs(by - ay)) // 200)
        for k in range(steps):
            t, push = k / steps, (0.0 if k == 0 else rng.uniform(0, 30))
            pts.append((ax + (bx - ax) * t + nx * push, ay + (by - ay) * t + ny * push))
    return Polygon(pts)


def _mahalleler(outline: Polygon) -> list[MahallePlan]:
    cols = [(-5000.0, XS[2]), (XS[2], 5000.0)]
    rows = [(YS[3], 5000.0), (YS[1], YS[3]), (-5000.0, YS[1])]
    out = []
    for (c, r), ad in MAHALLE_NAMES.items():
        cell = box(cols[c][0], rows[r][0], cols[c][1], rows[r][1]).intersection(outline)
        out.append(MahallePlan(key=f"mah{len(out) + 1}", ad=ad, geom=cell, sokak_base=1000 + 100 * (len(out) + 1)))
    return out


def _arterials() -> list[Street]:
    streets = []
    for axis, positions in (("x", XS), ("y", YS)):
        for v in positions:
            tur = CsbmTuru.BULVAR if v == 0 else CsbmTuru.CADDE
            reach = 150.0 if tur == CsbmTuru.BULVAR else 0.0  # boulevards lead on out of the district
            lo, hi = (YS[0] - reach, YS[-1] + reach) if axis == "x" else (XS[0] - reach, XS[-1] + reach)
            line = LineString([(v, lo), (v, hi)]) if axis == "x" else LineString([(lo, v), (hi, v)])
            streets.append(Street(key=f"art-{axis}{int(v)}", tur=str(tur), line=line, ad=ARTERIAL_NAMES[(axis, v)]))
    return streets


def _meydanlar() -> list[Street]:
    """Squares at main junctions: a roundabout loop, a ring around a square, an open arc."""
    gazi = MAIN_SQUARE.buffer(38, quad_segs=6).exterior
    zafer = box(-35, YS[3] - 28, 35, YS[3] + 28).exterior
    millet = LineString(list(Point(XS[1], 0).buffer(32, quad_segs=6).exterior.coords)[:-5])
    return [Street(key=f"mey-{ad}", tur=str(CsbmTuru.MEYDAN), line=LineString(line.coords), ad=ad)
            for ad, line in (("Gazi", gazi), ("Zafer", zafer), ("Millet", millet))]


def _sokaklar(rng: random.Random, mahalleler: list[MahallePlan]) -> list[Street]:
    """Numbered sokaks inside each superblock between the arterials, a few of them named."""
    names = SOKAK_NAMES[:]
    rng.shuffle(names)
    counters = {m.key: m.sokak_base for m in mahalleler}
    streets: list[Street] = []
    for j in range(len(YS) - 1, 0, -1):
        for i in range(len(XS) - 1):
            xa, xb, ya, yb = XS[i], XS[i + 1], YS[j - 1], YS[j]
            lines = []
            for k in (1, 2, 3):  # east-west, every 75 m
                if k == 2 and rng.random() < 0.1:
                    continue
                y = ya + 75 * k
                lines.append(LineString([(xa, y + rng.uniform(-5, 5)), (xb, y + rng.uniform(-5, 5))]))
            for k in (1, 2):  # north-south, every ~133 m; some are dead ends (çıkmaz sokak)
                x = xa + (xb - xa) * k / 3
                start, end = (x + rng.uniform(-6, 6), ya), (x + rng.uniform(-6, 6), yb)
                if rng.random() < 0.2:
                    cut = ya + (yb - ya) * rng.uniform(0.4, 0.7)
                    start, end = (start, (end[0], cut)) if rng.random() < 0.5 else ((start[0], cut), end)
                lines.append(LineString([start, end]))
            mah = next(m for m in mahalleler if m.geom.covers(Point((xa + xb) / 2, (ya + yb) / 2)))
            for line in lines:
                counters[mah.key] += 1 + (rng.random() < 0.15)
                named = names and rng.random() < 0.15
                streets.append(Street(key=f"sk-{len(streets) + 1}", tur=str(CsbmTuru.SOKAK), line=line,
                                      ad=names.pop() if named else "",
                                      numara=None if named else counters[mah.key], mahalle=mah.key))
    return streets


def _noded(streets: list[Street]) -> None:
    """Put a vertex wherever two streets meet, so the network is routable as drawn."""
    lines = [s.line for s in streets]
    tree = shapely.STRtree(lines)
    for s in streets:
        cuts = [s.line.project(p) for j in tree.query(s.line, predicate="intersects") if lines[j] is not s.line
                for p in shapely.get_parts(shapely.extract_unique_points(s.line.intersection(lines[j])))]
        if cuts and not s.line.is_ring:
            stops = sorted({round(d, 6) for d in cuts + [s.line.project(Point(c)) for c in s.line.coords]})
            s.line = LineString([s.line.interpolate(d) for d in stops])


def build_plan(rng: random.Random) -> Plan:
    outline = _outline(rng)
    mahalleler = _mahalleler(outline)
    streets = _arterials() + _sokaklar(rng, mahalleler)
    _noded(streets)
    streets += _meydanlar()
    corridors = shapely.union_all([s.line.buffer(s.half_width) for s in streets])
    faces = shapely.get_parts(shapely.polygonize([shapely.union_all([s.line for s in streets]
                                                                    + [outline.exterior])]))
    blocks = [b for f in faces if (b := f.difference(corridors)).area > 400 and outline.covers(f.point_on_surface())]
    blocks = [b.buffer(0) for b in blocks if b.geom_type == "Polygon"]
    blocks.sort(key=lambda b: (round(b.centroid.y), round(b.centroid.x)))
    return Plan(mahalleler=mahalleler, streets=streets, district=outline, corridors=corridors, blocks=blocks)

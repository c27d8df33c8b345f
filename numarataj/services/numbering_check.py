"""The numbering check: whether the doors of a street carry numbers by the regulation's rule, judged
from the street and not from the engine that numbered it (legacy and hand-entered numbers too).

Seen from the street's recorded start (Csbm.baslangic), along its walking axis (services/axis.py):
- a door on the left has an odd number, a door on the right an even one (a door on the axis counts
  as left, as in the engine); a meydan's doors are numbered around it and have no sides;
- along each side the numbers rise (15 < 15A < 17); doors within STATION_TIE_M of each other
  along the street may come in either order. The doors to blame are the fewest whose removal
  leaves the side rising (the rest form the longest rising sequence), so one misplaced door is
  one finding, not every door after it;
- a street with no recorded start is judged from whichever end breaks fewer rules (a loop: from
  its lowest-numbered door, clockwise);
- a number used twice on a street is the MAKS rule `adres_no_tekil` (services/rules.py), reported
  with these by `check_numbering`.
A door inside a one-gate site stands where its gate is. Unreadable numbers are `adres_kapi_no`'s."""

from bisect import bisect_right
from collections import defaultdict
from dataclasses import asdict, dataclass

import numpy as np
import shapely
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely.geometry import LineString, Point

from geo.errors import InvalidInput

from .axis import street_axis
from .geometry import clockwise_angles, is_closed, oriented, sides_and_stations
from .rules import RULES, AdresRec, CsbmRec, RegisterData, Violation, _lonlat, parse_door_number

STATION_TIE_M = 1.0
PARITY, ORDER = "adres_tek_cift", "adres_sirali"
NUMBERING_RULES = {
    PARITY: gettext_lazy("Soldaki kapılar tek, sağdakiler çift numaralı olmalı"),
    ORDER: gettext_lazy("Numaralar başlangıçtan itibaren her yanda artmalı"),
}


@dataclass(frozen=True)
class NumberingViolation(Violation):
    def as_dict(self) -> dict:
        return {**asdict(self), "title": str(NUMBERING_RULES[self.rule])}


@dataclass
class _Door:
    rec: AdresRec
    key: tuple[int, str]
    point: Point
    side: int = 0
    station: float = 0.0


def check_numbering(data: RegisterData, starts: dict[int, Point]) -> list[Violation]:
    """Every numbering finding over the doors of `data`'s streets; `starts` maps a CSBM id to its
    recorded start in the local grid."""
    return street_order_violations(data, starts) + list(RULES["adres_no_tekil"][2](data))


def street_order_violations(data: RegisterData, starts: dict[int, Point]) -> list[Violation]:
    """Side and order findings (what the MAKS rule table does not already check)."""
    doors: dict[int, list[_Door]] = defaultdict(list)
    for a in data.adres:
        try:
            key = parse_door_number(a.kapi_no)
        except InvalidInput:
            continue
        doors[a.csbm_id].append(_Door(a, key, a.giris if a.giris is not None else a.geom))
    out: list[Violation] = []
    for c in data.csbm:
        if doors.get(c.id):
            out += _street(c, doors[c.id], starts.get(c.id))
    return out


def _street(c: CsbmRec, doors: list[_Door], start: Point | None) -> list[Violation]:
    axis = street_axis(c.geom)
    if c.tur == "meydan":
        return _meydan(axis, doors, start) if start is not None else []
    if start is not None:
        walks = [oriented(axis, start)]
    elif is_closed(axis):
        first = min(doors, key=lambda d: d.key)
        walks = [oriented(axis, axis.interpolate(axis.project(first.point)))]
    else:
        walks = [axis, LineString(axis.coords[::-1])]
    return min((_walk(line, doors) for line in walks), key=len)


def _walk(line: LineString, doors: list[_Door]) -> list[Violation]:
    side, station, _offset = sides_and_stations(line, np.array([d.point for d in doors], dtype=object))
    for d, si, st in zip(doors, side, station, strict=True):
        d.side, d.station = (1 if si >= 0 else -1), float(st)
    found, in_order = [], []
    for d in doors:
        if d.key[0] % 2 != (1 if d.side > 0 else 0):
            found.append(_violation(PARITY, d, _(
                "Kapı %(no)s yolun sol yanında; sol yandaki kapılar tek numaralı olur. "
                "(Door %(no)s is on the left, where numbers are odd.)") if d.side > 0 else _(
                "Kapı %(no)s yolun sağ yanında; sağ yandaki kapılar çift numaralı olur. "
                "(Door %(no)s is on the right, where numbers are even.)")))
        else:
            in_order.append(d)
    for d in _out_of_order([d for d in in_order if d.side > 0]):
        found.append(_violation(ORDER, d, _("Kapı %(no)s, sol yanda başlangıçtan itibaren artan sırayı bozuyor. "
                                            "(Door %(no)s breaks the rising order along the left side.)")))
    for d in _out_of_order([d for d in in_order if d.side < 0]):
        found.append(_violation(ORDER, d, _("Kapı %(no)s, sağ yanda başlangıçtan itibaren artan sırayı bozuyor. "
                                            "(Door %(no)s breaks the rising order along the right side.)")))
    return found


def _meydan(axis: LineString, doors: list[_Door], start: Point) -> list[Violation]:
    """Around a meydan the numbers rise clockwise from its start (the engine's rule 4)."""
    centre = shapely.convex_hull(axis).centroid
    angles = clockwise_angles(centre, start, np.array([d.point for d in doors], dtype=object))
    for d, a in zip(doors, angles, strict=True):
        d.side, d.station = 0, float(a) * 1000.0  # radians as "metres": ties only for the same bearing
    return [_violation(ORDER, d, _("Kapı %(no)s, meydanda başlangıçtan saat yönünde artan sırayı bozuyor. "
                                    "(Door %(no)s breaks the clockwise order around the meydan.)"))
            for d in _out_of_order(doors)]


def _out_of_order(doors: list[_Door]) -> list[_Door]:
    """The doors outside the longest rising sequence along the side (near-ties in number order)."""
    doors = sorted(doors, key=lambda d: d.station)
    groups: list[list[_Door]] = []
    for d in doors:
        if groups and d.station - groups[-1][-1].station <= STATION_TIE_M:
            groups[-1].append(d)
        else:
            groups.append([d])
    seq = [d for g in groups for d in sorted(g, key=lambda d: d.key)]
    tails: list[tuple[int, str]] = []  # tails[k]: the smallest last key of a rising run of length k+1
    tail_at: list[int] = []
    back = [-1] * len(seq)
    for i, d in enumerate(seq):
        k = bisect_right(tails, d.key)
        back[i] = tail_at[k - 1] if k else -1
        if k == len(tails):
            tails.append(d.key)
            tail_at.append(i)
        else:
            tails[k], tail_at[k] = d.key, i
    keep, i = set(), tail_at[-1] if tail_at else -1
    while i >= 0:
        keep.add(i)
        i = back[i]
    return [d for i, d in enumerate(seq) if i not in keep]


def _violation(rule: str, d: _Door, text: str) -> Violation:
    return NumberingViolation(rule, "numarataj.Adres", d.rec.id, text % {"no": d.rec.kapi_no}, _lonlat(d.rec.geom))

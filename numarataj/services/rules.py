"""MAKS conformance rules: one table of checks that both the save services (one object, before it
is written) and the bulk report (a whole ilçe) consult.

Tolerances, in metres of the local TUREF/TM grid:
- an address point lies on or within 5 m of its building's footprint (BUILDING_TOLERANCE_M):
  the door is drawn at the entrance, at most a front step or a digitising error away;
- an address point lies within 60 m of its street's centreline (STREET_TOLERANCE_M): Turkish
  urban plots have front yards of 3-20 m and a road half-width of up to 15-20 m; 60 m still admits a
  building at the back of its plot reached from that street, farther away it belongs to another.
  A door inside a one-gate site is reached through the gate, so there the gate is measured;
- a centreline may leave its mahalle(s) by 5 m (MAHALLE_TOLERANCE_M): boundaries often run on the
  street's axis, and the two are digitised separately;
- a centreline may graze a footprint by 0.5 m (CROSS_TOLERANCE_M) before it counts as crossing it.

A door number is a positive integer with an optional letter ("15", "15A"); "0", "-3" and "abc" are
refused with a message saying why. Lower case and a slash or dash before the letter are accepted
and normalised ("15/a" -> "15A"). The engine itself only hands out the letters in LETTERS: the
Turkish alphabet without its diacritic letters, and without I (read as 1 or İ on a plate)."""

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import shapely
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

from geo.errors import InvalidInput
from geo.text import turkish_lower

from .geometry import to_storage

BUILDING_TOLERANCE_M = 5.0
STREET_TOLERANCE_M = 60.0
MAHALLE_TOLERANCE_M = 5.0
CROSS_TOLERANCE_M = 0.5
LETTERS = "ABCDEFGHJKLMNOPRSTUVYZ"

_DOOR = re.compile(r"^([0-9]+)\s*[/-]?\s*([A-Z]?)$")


class MaksViolation(InvalidInput):
    """A save refused by the MAKS rules; `detail["violations"]` lists every rule broken."""

    code = "MaksViolation"


def parse_door_number(text: str) -> tuple[int, str]:
    """'15A' -> (15, 'A'). Raises InvalidInput with the reason for anything else."""
    raw = (text or "").strip()
    if not raw:
        raise InvalidInput(_("Kapı numarası boş olamaz. (The door number is empty.)"), kapi_no=text)
    if raw.startswith("-"):
        raise InvalidInput(_("Kapı numarası negatif olamaz: '%(no)s'. (A door number cannot be negative.)")
                           % {"no": raw}, kapi_no=text)
    m = _DOOR.match(raw.upper())
    if not m:
        raise InvalidInput(_("Kapı numarası bir sayı ve isteğe bağlı tek harf olmalı (ör. 15, 15A): '%(no)s'. "
                             "(A door number is a positive integer with an optional letter.)") % {"no": raw},
                           kapi_no=text)
    number = int(m.group(1))
    if number == 0:
        raise InvalidInput(_("Kapı numarası 0 olamaz; numaralar 1'den başlar. (Door numbers start at 1.)"),
                           kapi_no=text)
    if number > 99999:
        raise InvalidInput(_("Kapı numarası çok büyük: '%(no)s'. (Door number too large.)") % {"no": raw},
                           kapi_no=text)
    return number, m.group(2)


def normalize_door_number(text: str) -> str:
    number, letter = parse_door_number(text)
    return f"{number}{letter}"


def door_sort_key(text: str) -> tuple[int, str]:
    """Order of door numbers along a side: 15 < 15A < 15B < 17; unreadable ones last."""
    try:
        return parse_door_number(text)
    except InvalidInput:
        return (10**6, text)


def csbm_name_problem(ad: str, numara: int | None, tur: str) -> str:
    """The clear reason a name/number combination is refused, or ''."""
    if ad.strip() and numara is not None:
        return (_("CSBM'nin adı ya da numarası olur, ikisi birden olamaz ('%(name)s' ve %(number)s). "
                  "(A street has a name or a number, never both.)") % {"name": ad, "number": numara})
    if not ad.strip() and numara is None:
        return _("CSBM'nin bir adı ya da numarası olmalı. (A street needs a name or a number.)")
    if tur == "meydan" and numara is not None:
        return _("Meydanlara numara verilmez, yalnızca ad verilir. (A meydan only has a name.)")
    return ""


# ---- the data the checks look at: plain records with local-grid shapely geometries -------------

@dataclass
class CsbmRec:
    id: int
    ilce_id: int
    tur: str
    ad: str
    numara: int | None
    geom: BaseGeometry
    mahalle_ids: list[int] = field(default_factory=list)


@dataclass
class YapiRec:
    id: int
    mahalle_id: int | None
    tanitim_no: str
    geom: BaseGeometry


@dataclass
class AdresRec:
    id: int
    csbm_id: int | None
    yapi_id: int | None
    kapi_no: str
    geom: BaseGeometry
    giris: BaseGeometry | None = None  # the gate of the one-gate site the door is in, if any


@dataclass
class RegisterData:
    csbm: list[CsbmRec] = field(default_factory=list)
    yapi: list[YapiRec] = field(default_factory=list)
    adres: list[AdresRec] = field(default_factory=list)
    mahalle: dict[int, BaseGeometry] = field(default_factory=dict)
    ilce_mahalleler: dict[int, list[int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Violation:
    rule: str
    model: str
    object_id: int
    message: str
    point: tuple[float, float] | None = None  # lon, lat (storage CRS), for the map link

    def as_dict(self) -> dict:
        return {"rule": self.rule, "title": str(RULES[self.rule][0]), "model": self.model,
                "object_id": self.object_id, "message": self.message, "point": self.point}


Check = Callable[[RegisterData], Iterator[Violation]]
RULES: dict[str, tuple[Promise, str, Check]] = {}  # code -> (title, translated when shown; model label; check)


def rule(code: str, title: Promise, model: str) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        RULES[code] = (title, model, check)
        return check
    return register


def _lonlat(geom: BaseGeometry) -> tuple[float, float] | None:
    if geom.is_empty:
        return None
    p = to_storage(geom.representative_point())
    return (round(p.x, 7), round(p.y, 7))


# ---- the rules ---------------------------------------------------------------------------------

@rule("csbm_ad_numara", gettext_lazy("CSBM'nin adı ya da numarası olur, ikisi birden değil"), "numarataj.Csbm")
def _csbm_name_xor_number(d: RegisterData) -> Iterator[Violation]:
    for c in d.csbm:
        if problem := csbm_name_problem(c.ad, c.numara, c.tur):
            yield Violation("csbm_ad_numara", "numarataj.Csbm", c.id, problem, _lonlat(c.geom))


@rule("csbm_basit", gettext_lazy("Eksen kendini kesmemeli"), "numarataj.Csbm")
def _csbm_simple(d: RegisterData) -> Iterator[Violation]:
    for c in d.csbm:
        if not c.geom.is_simple:
            yield Violation("csbm_basit", "numarataj.Csbm", c.id,
                            _("Eksen kendini kesiyor. (The centreline crosses itself.)"), _lonlat(c.geom))


def _crossings(d: RegisterData) -> Iterator[tuple[CsbmRec, YapiRec, BaseGeometry]]:
    """(street, building, the piece of centreline inside the footprint) for every real crossing."""
    if not d.yapi or not d.csbm:
        return
    tree = STRtree([y.geom for y in d.yapi])
    for c in d.csbm:
        for i in tree.query(c.geom, predicate="intersects"):
            inside = c.geom.intersection(d.yapi[i].geom)
            if inside.length > CROSS_TOLERANCE_M:
                yield c, d.yapi[i], inside


@rule("csbm_yapi_kesisim", gettext_lazy("Eksen bir yapıyı kesmemeli"), "numarataj.Csbm")
def _csbm_crosses_building(d: RegisterData) -> Iterator[Violation]:
    for c, y, inside in _crossings(d):
        yield Violation("csbm_yapi_kesisim", "numarataj.Csbm", c.id,
                        _("Eksen %(yapi)s numaralı yapıyı %(length)s m boyunca kesiyor. "
                          "(The centreline crosses building %(yapi)s.)")
                        % {"yapi": y.id, "length": f"{inside.length:.1f}"}, _lonlat(inside))


@rule("csbm_mahalle_disinda", gettext_lazy("Eksen mahallesinin içinde kalmalı"), "numarataj.Csbm")
def _csbm_outside_mahalle(d: RegisterData) -> Iterator[Violation]:
    for c in d.csbm:
        ids = c.mahalle_ids or d.ilce_mahalleler.get(c.ilce_id, [])
        polys = [d.mahalle[i] for i in ids if i in d.mahalle]
        if not polys:
            continue
        area = shapely.union_all(polys).buffer(MAHALLE_TOLERANCE_M)
        outside = c.geom.difference(area)
        if outside.length > 1.0:
            yield Violation("csbm_mahalle_disinda", "numarataj.Csbm", c.id,
                            _("Eksenin %(length)s m'si mahallesinin dışında. (The centreline leaves its mahalle.)")
                            % {"length": f"{outside.length:.0f}"}, _lonlat(outside))


@rule("csbm_ad_tekil", gettext_lazy("Ad + tür belediye içinde tekil olmalı"), "numarataj.Csbm")
def _csbm_unique_name(d: RegisterData) -> Iterator[Violation]:
    groups: dict[tuple, list[CsbmRec]] = defaultdict(list)
    for c in d.csbm:
        groups[(c.ilce_id, c.tur, turkish_lower(c.ad.strip()) if c.ad.strip() else c.numara)].append(c)
    for same in groups.values():
        for c in same if len(same) > 1 else []:
            others = ", ".join(str(o.id) for o in same if o is not c)
            yield Violation("csbm_ad_tekil", "numarataj.Csbm", c.id,
                            _("Aynı ad ve türde başka CSBM var (%(others)s). "
                              "(Another street of this kind has the same name.)") % {"others": others},
                            _lonlat(c.geom))


@rule("yapi_tanitim_tekil", gettext_lazy("Yapı tanıtım numarası mahalle içinde tekil olmalı"), "numarataj.Yapi")
def _yapi_unique_tanitim(d: RegisterData) -> Iterator[Violation]:
    groups: dict[tuple, list[YapiRec]] = defaultdict(list)
    for y in d.yapi:
        if y.tanitim_no and y.mahalle_id:
            groups[(y.mahalle_id, y.tanitim_no)].append(y)
    for same in groups.values():
        for y in same if len(same) > 1 else []:
            yield Violation("yapi_tanitim_tekil", "numarataj.Yapi", y.id,
                            _("'%(no)s' tanıtım numarası mahallede birden çok yapıda. "
                              "(The identification number is not unique in the mahalle.)") % {"no": y.tanitim_no},
                            _lonlat(y.geom))


@rule("yapi_csbm_kesisim", gettext_lazy("Yapıyı bir eksen kesmemeli"), "numarataj.Yapi")
def _yapi_crossed(d: RegisterData) -> Iterator[Violation]:
    for c, y, inside in _crossings(d):
        yield Violation("yapi_csbm_kesisim", "numarataj.Yapi", y.id,
                        _("Yapıyı %(csbm)s numaralı CSBM'nin ekseni kesiyor. "
                          "(A street centreline crosses this building.)") % {"csbm": c.id}, _lonlat(inside))


@rule("adres_kapi_no", gettext_lazy("Kapı numarası pozitif tam sayı (+ harf) olmalı"), "numarataj.Adres")
def _adres_door_number(d: RegisterData) -> Iterator[Violation]:
    for a in d.adres:
        try:
            parse_door_number(a.kapi_no)
        except InvalidInput as e:
            yield Violation("adres_kapi_no", "numarataj.Adres", a.id, e.message, _lonlat(a.geom))


@rule("adres_no_tekil", gettext_lazy("Kapı numarası CSBM üzerinde tekil olmalı"), "numarataj.Adres")
def _adres_unique_number(d: RegisterData) -> Iterator[Violation]:
    groups: dict[tuple, list[AdresRec]] = defaultdict(list)
    for a in d.adres:
        if a.csbm_id and a.kapi_no:
            groups[(a.csbm_id, a.kapi_no.strip().upper().replace("/", "").replace(" ", ""))].append(a)
    for (_csbm, no), same in groups.items():
        for a in same if len(same) > 1 else []:
            yield Violation("adres_no_tekil", "numarataj.Adres", a.id,
                            _("'%(no)s' numarası bu CSBM'de birden çok kapıda. "
                              "(The door number is used twice on this street.)") % {"no": no}, _lonlat(a.geom))


@rule("adres_yapi_yakin", format_lazy(gettext_lazy("Adres noktası yapısına en çok {metres} m uzak olmalı"),
                                      metres=f"{BUILDING_TOLERANCE_M:.0f}"), "numarataj.Adres")
def _adres_near_building(d: RegisterData) -> Iterator[Violation]:
    yapi = {y.id: y.geom for y in d.yapi}
    for a in d.adres:
        if a.yapi_id in yapi and (dist := a.geom.distance(yapi[a.yapi_id])) > BUILDING_TOLERANCE_M:
            yield Violation("adres_yapi_yakin", "numarataj.Adres", a.id,
                            _("Kapı noktası yapısından %(dist)s m uzakta (en çok %(max)s m). "
                              "(The address point is too far from its building.)")
                            % {"dist": f"{dist:.0f}", "max": f"{BUILDING_TOLERANCE_M:.0f}"}, _lonlat(a.geom))


@rule("adres_csbm_yakin", format_lazy(gettext_lazy("Adres noktası CSBM eksenine en çok {metres} m uzak olmalı"),
                                      metres=f"{STREET_TOLERANCE_M:.0f}"), "numarataj.Adres")
def _adres_near_street(d: RegisterData) -> Iterator[Violation]:
    lines = {c.id: c.geom for c in d.csbm}
    for a in d.adres:
        reached_from = a.giris if a.giris is not None else a.geom
        if a.csbm_id in lines and (dist := reached_from.distance(lines[a.csbm_id])) > STREET_TOLERANCE_M:
            yield Violation("adres_csbm_yakin", "numarataj.Adres", a.id,
                            _("Kapı noktası CSBM ekseninden %(dist)s m uzakta (en çok %(max)s m). "
                              "(The address point is too far from its street.)")
                            % {"dist": f"{dist:.0f}", "max": f"{STREET_TOLERANCE_M:.0f}"}, _lonlat(a.geom))


def check(data: RegisterData, models: set[str] | None = None) -> list[Violation]:
    """Run every rule (or those about `models`) over the data, in the table's order."""
    return [v for title, model, fn in RULES.values() if models is None or model in models for v in fn(data)]


def check_object(data: RegisterData, model: str, object_id: int) -> list[Violation]:
    """The violations of one object; `data` holds it and the neighbours its rules compare with."""
    return [v for v in check(data, {model}) if v.object_id == object_id]


def raise_if(violations: list[Violation]) -> None:
    if violations:
        raise MaksViolation(" ".join(v.message for v in violations),
                            violations=[v.as_dict() for v in violations])


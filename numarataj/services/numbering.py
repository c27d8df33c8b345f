"""The numbering engine: the address regulation's rules (Adres ve Numaralama Yönetmeliği) as a
numarataj officer applies them, with the choices made where the regulation leaves a case open.
It only proposes: its output is a NumberingPlan; services/plans.py writes it when approved.

1. Street of a door: see services/workspace.py (existing CSBM kept, else nearest within 60 m).
2. Start. Every street is walked from a start:
   a. a start the officer pinned on the CSBM (`baslangic_sabit`) always wins;
   b. a sokak or küme evler starts at its junction with a bulvar or cadde: when only one end
      meets one (within JUNCTION_TOLERANCE_M), that end; when both do, the end meeting the
      higher kind (bulvar over cadde); when still tied or neither does, rule c. The junction
      comes first because that is where someone turning in from the main road starts reading;
   c. otherwise the end nearer the ilçe's direction centre (Ilce.yon_merkezi, else its
      centroid); ends equally near (within 1 m) -> the western end. Caddes and bulvars follow
      only this rule: they are what sokaks are numbered from.
   A closed street (a loop, a meydan) starts at its point nearest the direction centre (or the
   pinned point) and is walked clockwise.
3. Sides. Walking from the start, doors on the LEFT take odd numbers 1, 3, 5, ... and doors on the
   RIGHT even numbers 2, 4, 6, ..., in order of their projection onto the street's walking axis
   (ties: the door nearer the line first). The axis is the street's, not its drawing's
   (services/axis.py): pieces joined, a divided road's two carriageways taken as one road along
   their common centreline. Side = sign of the cross product in the local metric grid; a door
   exactly on the line counts as left. services/numbering_check.py checks the result door by door.
4. Meydan. Doors around a meydan take 1, 2, 3, ... consecutively (a square has a single side to
   face), clockwise around the centre of the meydan's geometry, from its start.
5. Site with one entrance. Buildings inside a Site share the number its gate gets; two or more get
   letters A, B, C, ... in clockwise order as seen from the gate looking into the site, starting on
   the left (left-most first, then straight ahead, then right); one building takes the plain
   number. Letters come from rules.LETTERS (22); buildings beyond that are left unnumbered and
   listed in the plan's summary.
6. Arsa. An empty plot takes its place along the street like a building and reserves
   `ayrilacak_adet` consecutive numbers of its side; the doors after it continue after them.
7. Infill: one new building, nobody renumbered. On its side let P be the previous numbered door
   along the line and N the next one:
   - the first free number of the side's parity above P and below N (15 | 19 -> 17);
   - else P's number with its next free letter (15 | 17 -> 15A; 15A | 17 -> 15B);
   - after the last door: the next free number of the parity (17 -> 19, 17A -> 19);
   - before the first: the highest free number of the parity below N (5 -> 3);
   - inside a site: the site's number with the next free letter; on a plot with reserved
     numbers: the plot's first reserved number;
   - when nothing fits (between 15A and 15B; before 1) the plan is refused: the street has to be
     renumbered as a whole, which is the officer's decision, not the engine's.
8. Inner doors (bağımsız bölüm): services/ic_kapi.py.
"""

import json
from itertools import count

import numpy as np
import shapely
from django.contrib.gis.db.models import Union
from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from shapely.geometry import Point

from geo.errors import Conflict, InvalidInput
from numarataj.models import Adres, Arsa, Csbm, Ilce, NumberingPlan, PlanItem, Yapi

from .geometry import clockwise_angles, is_closed, many_to_storage, oriented, sides_and_stations, to_local, to_storage
from .register import require_register_editor
from .rules import LETTERS, door_sort_key, parse_door_number
from .workspace import Door, Street, Workspace

JUNCTION_TOLERANCE_M = 10.0
TIE_M = 1.0
RANK = {"bulvar": 2, "cadde": 1}
FOLLOWS_JUNCTION = {"sokak", "kume_evler"}


def choose_start(ws: Workspace, street: Street) -> tuple[Point, str]:
    """The start of a street (rule 2) and the reason, for the officer."""
    c, line = street.csbm, street.line
    if c.baslangic_sabit and c.baslangic is not None:
        return to_local(c.baslangic), "memurca sabitlenmiş başlangıç"
    if is_closed(line) or c.tur == "meydan":
        target = ws.centre if ws.centre is not None else Point(line.coords[0])
        return line.interpolate(line.project(target)), "yön merkezine en yakın nokta, saat yönünde"
    a, b = Point(line.coords[0]), Point(line.coords[-1])
    if c.tur in FOLLOWS_JUNCTION:
        ra = ws.junction_rank(a, c.pk, RANK, JUNCTION_TOLERANCE_M)
        rb = ws.junction_rank(b, c.pk, RANK, JUNCTION_TOLERANCE_M)
        if ra != rb:
            kind = "bulvar" if max(ra, rb) == RANK["bulvar"] else "cadde"
            return (a if ra > rb else b), f"{kind} kavşağındaki uç"
    if ws.centre is None:
        return a, "çizim yönü (yön merkezi yok)"
    da, db = a.distance(ws.centre), b.distance(ws.centre)
    if abs(da - db) <= TIE_M:
        return (a if a.x <= b.x else b), "yön merkezine eşit uzak: batı ucu"
    return (a if da < db else b), "yön merkezine yakın uç"


def street_start(csbm: Csbm) -> tuple[GEOSGeometry, str]:
    """Where the rules start a street today, and why, in the storage CRS: an infill plan numbers
    no street whole and keeps no start, but its reviewer still reads the sides from one."""
    ws = Workspace(csbm.ilce, near=csbm.geom, street_id=csbm.pk)
    start, reason = choose_start(ws, ws.streets[csbm.pk])
    return to_storage(start), reason


def number_street(ws: Workspace, street: Street) -> tuple[Point, str]:
    """Give every door of the street its number(s) (rules 3-6); returns the start and why."""
    start, reason = choose_start(ws, street)
    doors = street.doors
    if not doors:
        return start, reason
    line = oriented(street.line, start)
    pts = np.array([d.point for d in doors], dtype=object)
    side, station, offset = sides_and_stations(line, pts)
    for d, si, st, off in zip(doors, side, station, offset, strict=True):
        d.side, d.station, d.offset = (1 if si >= 0 else -1), float(st), float(off)
    if street.csbm.tur == "meydan":
        centre = shapely.convex_hull(line).centroid
        angles = clockwise_angles(centre, start, pts)
        order = sorted(range(len(doors)), key=lambda i: (angles[i], offset[i]))
        _number_in_order([doors[i] for i in order], first=1, step=1)
    else:
        for s, first in ((1, 1), (-1, 2)):
            _number_in_order(sorted((d for d in doors if d.side == s), key=lambda d: (d.station, d.offset)),
                             first=first, step=2)
    return start, reason


def _number_in_order(doors: list[Door], *, first: int, step: int) -> None:
    n = first
    for d in doors:
        d.labels = [str(n + step * k) for k in range(d.reserve)]
        n += step * d.reserve
        if d.members:
            _letter_site(d)


def _letter_site(gate: Door) -> None:
    """Rule 5: letters clockwise from the gate's left, looking into the site."""
    base, members = gate.labels[0], gate.members
    if len(members) == 1:
        members[0].labels = [base]
        return
    g = np.array(gate.point.coords[0])
    dx, dy = np.array(gate.inward.coords[0]) - g
    left = Point(g[0] - dy, g[1] + dx)
    refs = np.array([m.inward if m.inward is not None else m.point for m in members], dtype=object)
    angles = clockwise_angles(gate.point, left, refs)
    order = sorted(range(len(members)), key=lambda i: (angles[i], refs[i].distance(gate.point)))
    for letter_index, i in enumerate(order):
        members[i].labels = [f"{base}{LETTERS[letter_index]}"] if letter_index < len(LETTERS) else []


def infill_label(side: int, neighbours: list[tuple[float, str]], station: float, used: set[str]) -> str:
    """Rule 7: a number for a new door at `station` on `side` (+1 left / -1 right), given the
    numbered doors of that side as (station, number), without touching any of them."""
    parity = 1 if side > 0 else 0
    ordered = sorted(neighbours)
    prev = next((n for s, n in reversed(ordered) if s < station), None)
    nxt = next((n for s, n in ordered if s >= station), None)
    p = parse_door_number(prev) if prev else None
    q = parse_door_number(nxt) if nxt else None
    free = (str(c) for c in _parity_range(p[0] + 1 if p else 1, parity))
    if p is None and q is None:
        return next(c for c in free if c not in used)
    if p is None:
        below = [c for c in range(q[0] - 1, 0, -1) if c % 2 == parity and str(c) not in used]
        if below:
            return str(below[0])
    else:
        for c in free:
            if q is not None and (int(c), "") >= q:
                break
            if c not in used:
                return c
        for letter in LETTERS:
            cand = f"{p[0]}{letter}"
            if letter > p[1] and (q is None or (p[0], letter) < q) and cand not in used:
                return cand
    raise Conflict(f"'{prev or '-'}' ile '{nxt or '-'}' arasında komşuları değiştirmeden verilecek numara yok; "
                   "sokak bütünüyle yeniden numaralandırılmalı. "
                   "(No number fits between the neighbours; renumber the whole street.)", prev=prev, next=nxt)


def _parity_range(start: int, parity: int):
    c = start if start % 2 == parity else start + 1
    return count(c, 2)


# ---- plans ------------------------------------------------------------------------------------

def plan_street(csbm: Csbm, *, user=None, check_rights: bool = True) -> NumberingPlan:
    """Mode 1 for one street: every door of it renumbered by the rules, against the current numbers."""
    if check_rights:
        require_register_editor(user)
    ws = Workspace(csbm.ilce, near=csbm.geom, street_id=csbm.pk)
    return _propose(ws, [ws.streets[csbm.pk]], NumberingPlan.Tur.SOKAK, csbm=csbm, user=user)


def plan_district(ilce: Ilce, *, user=None, check_rights: bool = True) -> NumberingPlan:
    """Mode 1 for every street of an ilçe, as one plan (the officer's bulk review)."""
    if check_rights:
        require_register_editor(user)
    ws = Workspace(ilce)
    return _propose(ws, [s for s in ws.streets.values() if s.doors], NumberingPlan.Tur.ILCE, user=user)


def plan_area(area: GEOSGeometry, *, user=None, check_rights: bool = True) -> NumberingPlan:
    """Mode 1 for the streets crossing an area the officer drew: each street is numbered whole
    (its doors outside the area too), since a side's order runs along the whole street."""
    if check_rights:
        require_register_editor(user)
    if area.geom_type not in ("Polygon", "MultiPolygon") or area.empty or not area.valid:
        raise InvalidInput("Alan geçerli bir çokgen olmalı. (The area must be a valid polygon.)")
    ilce = Ilce.objects.filter(geom__intersects=area).first()
    csbms = list(Csbm.objects.filter(ilce=ilce, geom__intersects=area)) if ilce else []
    if not csbms:
        raise InvalidInput("Çizilen alanda numaralanacak CSBM yok. (No street crosses the area.)")
    near = csbms[0].geom.union(area) if len(csbms) == 1 else Csbm.objects.filter(
        pk__in=[c.pk for c in csbms]).aggregate(u=Union("geom"))["u"].union(area)
    ws = Workspace(ilce, near=near)
    plan = _propose(ws, [ws.streets[c.pk] for c in csbms], NumberingPlan.Tur.SOKAK,
                    csbm=csbms[0] if len(csbms) == 1 else None, user=user)
    plan.ozet["alan"] = json.loads(area.geojson)
    plan.save(update_fields=["ozet"])
    return plan


@transaction.atomic
def _propose(ws: Workspace, streets: list[Street], tur: str, *, csbm: Csbm | None = None, user=None,
             only_yapi: int | None = None) -> NumberingPlan:
    plan = NumberingPlan.objects.create(tur=tur, ilce=ws.ilce, csbm=csbm, olusturan=_user(user))
    rows: list[tuple[Street, Door, Door, str]] = []  # (street, door, member or door, label)
    summary = []
    for street in streets:
        start, reason = number_street(ws, street) if tur != NumberingPlan.Tur.ARA else (None, "")
        for d in street.doors:
            for unit in d.members or [d]:
                if only_yapi is None or unit.yapi_id == only_yapi:
                    rows.append((street, d, unit, ",".join(unit.labels)))
        summary.append(_street_summary(street, start, reason))
    points = many_to_storage([unit.point for _, _, unit, _ in rows])
    items, seq = [], {}
    for (street, d, unit, label), geom in sorted(zip(rows, points, strict=True), key=_item_order):
        seq[street.csbm.pk] = seq.get(street.csbm.pk, 0) + 1
        changed = _changed(unit.current, label) if unit.adres_id or d.arsa_id else True
        items.append(PlanItem(
            plan=plan, csbm=street.csbm, yapi_id=unit.yapi_id, adres_id=unit.adres_id, arsa_id=d.arsa_id,
            site_id=d.site_id, taraf=_taraf(street, d), sira=seq[street.csbm.pk], istasyon=round(d.station, 2),
            mevcut_no=unit.current, onerilen_no=label, degisiyor=changed and bool(label),
            geom=geom, notlar="" if label else "harf yetmedi: numarasız kaldı"))
    PlanItem.objects.bulk_create(items)
    plan.ozet = {"sokak": len(streets), "kapi": len(items), "degisen": sum(i.degisiyor for i in items),
                 "yeni": sum(1 for i in items if not i.adres_id and not i.arsa_id),
                 "sokaksiz_yapi": sorted(ws.unassigned), "sokaklar": summary}
    plan.save(update_fields=["ozet"])
    return plan


def _item_order(row_geom) -> tuple:
    (street, d, unit, label), _ = row_geom
    return (street.csbm.pk, -d.side, d.station, d.offset, door_sort_key(label.split(",")[0]))


def _taraf(street: Street, d: Door) -> str:
    if street.csbm.tur == "meydan" or not d.side:
        return ""
    return Adres.Taraf.SOL if d.side > 0 else Adres.Taraf.SAG


def _changed(current: str, label: str) -> bool:
    """Whether a number really changes ('15a' -> '15A' does not); plots compare their lists."""
    def norm(text: str) -> str:
        try:
            return "".join(map(str, parse_door_number(text)))
        except InvalidInput:
            return text.strip()
    return [norm(n) for n in current.split(",")] != [norm(n) for n in label.split(",")]


def _street_summary(street: Street, start: Point | None, reason: str) -> dict:
    sides = [d.side for d in street.doors]
    p = to_storage(start) if start is not None else None
    return {"csbm": street.csbm.pk, "ad": street.csbm.tam_ad, "sol": sides.count(1), "sag": sides.count(-1),
            "baslangic": [round(p.x, 7), round(p.y, 7)] if p else None, "neden": reason}


def _user(user):
    return user if user is not None and user.is_authenticated else None


# ---- infill (mode 2) -------------------------------------------------------------------------

def plan_infill(yapi: Yapi, *, user=None, check_rights: bool = True) -> NumberingPlan:
    """Mode 2: a number for one new building between numbered ones, nobody renumbered (rule 7)."""
    if check_rights:
        require_register_editor(user)
    if Adres.objects.filter(yapi=yapi).exists():
        raise Conflict("Bu yapının zaten bir adresi var; sokak planı kullanın. "
                       "(This building already has an address; use a street plan.)")
    ilce = yapi.mahalle.ilce if yapi.mahalle_id else Ilce.objects.filter(geom__intersects=yapi.geom).first()
    if ilce is None:
        raise InvalidInput("Yapının ilçesi bulunamadı. (The building is in no ilçe.)")
    found = Workspace(ilce, near=yapi.geom).door_of_yapi(yapi.pk)
    if found is None:
        raise InvalidInput("Yapıya 60 m içinde bir CSBM yok; önce yolunu çizin. "
                           "(No street within 60 m of the building.)")
    ws = Workspace(ilce, near=found[0].csbm.geom, street_id=found[0].csbm.pk)
    street, door = ws.door_of_yapi(yapi.pk)
    start, _ = choose_start(ws, street)
    line = oriented(street.line, start)
    pts = np.array([d.point for d in street.doors], dtype=object)
    side, station, offset = sides_and_stations(line, pts)
    for d, si, st, off in zip(street.doors, side, station, offset, strict=True):
        d.side, d.station, d.offset = (1 if si >= 0 else -1), float(st), float(off)
    unit = next(m for m in door.members or [door] if m.yapi_id == yapi.pk)
    unit.labels = [_infill_for(ws, street, door, unit, yapi)]
    return _propose(ws, [street], NumberingPlan.Tur.ARA, csbm=street.csbm, user=user, only_yapi=yapi.pk)


def _infill_for(ws: Workspace, street: Street, door: Door, unit: Door, yapi: Yapi) -> str:
    used = ws.numbers_on(street.csbm.pk)
    if door.members:
        numbered = [parse_door_number(m.current) for m in door.members if m.current]
        if not numbered:
            raise Conflict("Sitenin numaralı yapısı yok; sokağı bütünüyle numaralandırın. "
                           "(The site has no numbered building yet; number the street.)")
        base = numbered[0][0]
        letter = next((x for x in LETTERS if x > max(n[1] for n in numbered) and f"{base}{x}" not in used), None)
        if letter is None:
            raise Conflict("Sitede verilecek harf kalmadı. (No letter left in the site.)")
        return f"{base}{letter}"
    plot = Arsa.objects.filter(csbm=street.csbm, geom__contains=yapi.geom.point_on_surface).exclude(ayrilan_nolar="")
    if reserved := plot.values_list("ayrilan_nolar", flat=True).first():
        return reserved.split(",")[0].strip()
    neighbours = []
    for d in street.doors:
        if d.side == door.side and d is not door and d.current:
            for no in (d.current.split(",") if d.arsa_id else [d.current]):
                if door_sort_key(no)[0] < 10**6:
                    neighbours.append((d.station, "".join(map(str, parse_door_number(no)))))
    return infill_label(door.side, neighbours, door.station, used)

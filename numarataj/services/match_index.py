"""The register in memory for textual (AKS) address matching, and how it stays current.

The register is read once per process into an in-memory index (streets by diacritic-free name
key and by number + kind, doors per street, units per door), because a trigram query per address
cannot reach 1,000 addresses/s and the register of one municipality fits in memory easily.
Scoring an address against it is services/matching.py.

Freshness: every ``KENT_MATCH_REFRESH_SECONDS`` (default 5) a call asks PostgreSQL for a version
key of the register tables — count, max(id) and the sums of the system columns xmin and cmin
(every insert or update writes a row version with a new xmin, or a new cmin inside one
transaction; every delete changes the count). When the key differs, the index is rebuilt. Two
gunicorn workers therefore disagree for at most that interval, and edits made by any means (ORM,
bulk import, SQL) are seen; the key costs one sequential pass over the register tables.
"""

import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.db.models import PointField
from django.db import connection
from django.db.models import F, FloatField, Func

from numarataj.models import Adres, BagimsizBolum, Csbm, Il, Ilce, Mahalle

from .normalize import ascii_key
from .parse import MAHALLE_WORDS, MAX_LENGTH, StreetPart, door_key, name_key, parse_address, street_key

_WORDS = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class IndexedStreet:
    id: int
    kind: str
    label: str
    mahalle_ids: frozenset[int]
    lon: float | None
    lat: float | None


@dataclass(frozen=True, slots=True)
class IndexedDoor:
    adres_id: int
    mahalle_id: int | None
    kapi_no: str
    lon: float
    lat: float


def _by_word(keys: list[str]) -> dict[str, set[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        for word in key.split():
            index[word].add(key)
    return index


def mahalle_key(ad: str) -> str:
    return name_key([w for w in _WORDS.findall(ascii_key(ad)) if w not in MAHALLE_WORDS])


def unit_key(value: str) -> str:
    key = ascii_key(value).replace(" ", "").upper()
    return str(int(key)) if key.isdigit() else key


def register_door_key(kapi_no: str) -> tuple[str, int, str | None] | None:
    """The door key of a register entry; imported ones may be messy ("41 D-C", "L1 Blok 23A")."""
    key = door_key(kapi_no)
    if key is None and kapi_no.strip():
        door = parse_address(kapi_no[:MAX_LENGTH]).door
        key = door_key(door) if door else None
    return key


def _xy(expr: F | Func) -> tuple[Func, Func]:
    return (Func(expr, function="ST_X", output_field=FloatField()),
            Func(expr, function="ST_Y", output_field=FloatField()))


class RegisterIndex:
    """The register in memory, shaped for lookups by name key, street number and door key."""

    def __init__(self, version: tuple) -> None:
        self.version = version
        self.places: frozenset[str] = frozenset()
        self.mahalle_names: dict[int, str] = {}
        self.mahalle_by_key: dict[str, list[int]] = defaultdict(list)
        self.streets: dict[int, IndexedStreet] = {}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.by_number: dict[int, list[tuple[int, bool]]] = defaultdict(list)
        self.doors: dict[int, dict[str, list[IndexedDoor]]] = defaultdict(lambda: defaultdict(list))
        self.doors_by_base: dict[int, dict[int, list[IndexedDoor]]] = defaultdict(lambda: defaultdict(list))
        self.units: dict[int, dict[str, int]] = defaultdict(dict)

    @classmethod
    def load(cls, version: tuple) -> "RegisterIndex":
        idx = cls(version)
        idx.places = frozenset(ascii_key(n) for n in [*Il.objects.values_list("ad", flat=True),
                                                      *Ilce.objects.values_list("ad", flat=True)])
        for mid, ad in Mahalle.objects.values_list("id", "ad"):
            idx.mahalle_names[mid] = ad
            idx.mahalle_by_key[mahalle_key(ad)].append(mid)
        street_mahalle: dict[int, set[int]] = defaultdict(set)
        for cid, mid in Csbm.mahalleler.through.objects.values_list("csbm_id", "mahalle_id"):
            street_mahalle[cid].add(mid)
        lon, lat = _xy(F("geom"))
        for aid, cid, mid, kapi, x, y in (Adres.objects.filter(csbm__isnull=False).annotate(x=lon, y=lat)
                                          .values_list("id", "csbm_id", "mahalle_id", "kapi_no", "x", "y")):
            parsed = register_door_key(kapi)
            if parsed is None:
                continue
            door = IndexedDoor(aid, mid, kapi, x, y)
            idx.doors[cid][parsed[0]].append(door)
            idx.doors_by_base[cid][parsed[1]].append(door)
            if mid:
                street_mahalle[cid].add(mid)
        slon, slat = _xy(Func(F("geom"), function="ST_PointOnSurface", output_field=PointField()))
        for csbm in Csbm.objects.only("id", "tur", "ad", "numara").annotate(x=slon, y=slat):
            key = street_key(csbm.ad) if csbm.ad else StreetPart(str(csbm.numara), number=csbm.numara)
            idx.streets[csbm.id] = IndexedStreet(csbm.id, csbm.tur, csbm.tam_ad,
                                                 frozenset(street_mahalle[csbm.id]), csbm.x, csbm.y)
            if key.name_key:
                idx.by_name[key.name_key].append(csbm.id)
            if key.number is not None:
                idx.by_number[key.number].append((csbm.id, False))
            for alt in key.alt_numbers:
                idx.by_number[alt].append((csbm.id, True))
        for bid, aid, ic in BagimsizBolum.objects.values_list("id", "adres_id", "ic_kapi_no"):
            idx.units[aid][unit_key(ic)] = bid
        idx.name_keys, idx.mahalle_keys = list(idx.by_name), list(idx.mahalle_by_key)
        idx.name_words, idx.mahalle_words = _by_word(idx.name_keys), _by_word(idx.mahalle_keys)
        return idx


# -- the process-wide index and its refresh -------------------------------------------------------

_lock = threading.Lock()
_state: dict = {"index": None, "checked": 0.0}


def register_version() -> tuple:
    """A cheap key that changes whenever any register row is inserted, updated or deleted."""
    tables = [m._meta.db_table for m in (Il, Ilce, Mahalle, Csbm, Adres, BagimsizBolum)]
    tables.append(Csbm.mahalleler.through._meta.db_table)
    sql = " UNION ALL ".join(
        f"SELECT {i}, count(*), coalesce(max(id), 0), coalesce(sum(xmin::text::bigint), 0), "
        f"coalesce(sum(cmin::text::bigint), 0) FROM {connection.ops.quote_name(t)}" for i, t in enumerate(tables))
    with connection.cursor() as cur:
        cur.execute(sql)
        return tuple(sorted(cur.fetchall()))


def get_index(force: bool = False) -> RegisterIndex:
    """The current index; the version key is checked at most every KENT_MATCH_REFRESH_SECONDS."""
    interval = float(getattr(settings, "KENT_MATCH_REFRESH_SECONDS", 5.0))
    index = _state["index"]
    if index is not None and not force and time.monotonic() - _state["checked"] < interval:
        return index
    with _lock:
        version = register_version()
        if force or _state["index"] is None or _state["index"].version != version:
            _state["index"] = RegisterIndex.load(version)
        _state["checked"] = time.monotonic()
        return _state["index"]

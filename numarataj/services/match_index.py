"""The register in memory for textual (AKS) address matching, and how it stays current.

The register is read once per process into an in-memory index (streets by diacritic-free name
key and by number + kind, doors per street, units per door), because a trigram query per address
cannot reach 1,000 addresses/s and the register of one municipality fits in memory easily.
Scoring an address against it is services/matching.py.

Freshness: every ``KENT_MATCH_REFRESH_SECONDS`` (default 5) a call asks PostgreSQL for a version
key of the register: statement triggers on the register tables record each writing transaction
and its statement count in numarataj_register_change (migration 0005), visible when the change
commits. When the key differs, the index is rebuilt. Two gunicorn workers therefore disagree for
at most that interval, and edits made by any means (ORM, bulk import, SQL) are seen; the key reads
a table of a few rows, whatever the size of the register (it used to scan every register table:
2 s a check at a million buildings).
"""

import re
import threading
import time
from array import array
from bisect import bisect_left
from collections import OrderedDict, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.db.models import PointField
from django.db import connection
from django.db.models import F, FloatField, Func

from geo.text import ascii_key
from numarataj.models import Adres, BagimsizBolum, Csbm, Il, Ilce, Mahalle

from .parse import MAHALLE_WORDS, MAX_LENGTH, StreetPart, door_key, name_key, parse_address, street_key

_WORDS = re.compile(r"\w+")
STREET_CACHE = 20_000  # streets whose door tables stay made (a busy ilçe's worth)


@dataclass(frozen=True, slots=True)
class IndexedStreet:
    id: int
    kind: str
    label: str
    mahalle_ids: frozenset[int]
    ilce_id: int
    lon: float | None
    lat: float | None


@dataclass(frozen=True, slots=True)
class IndexedDoor:
    adres_id: int
    mahalle_id: int | None
    kapi_no: str
    lon: float
    lat: float


@dataclass(frozen=True, slots=True)
class StreetNames:
    """The street name keys a search may hit: the whole register's, or one area's (the ilçeler an
    address names), so that fuzzy matching ranks only the streets that can be meant."""

    keys: list[str]
    words: dict[str, set[str]]
    known: frozenset[str]
    ilceler: frozenset[int] | None = None  # None: every ilçe

    def allows(self, street: IndexedStreet) -> bool:
        return self.ilceler is None or street.ilce_id in self.ilceler


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
        self.doors = DoorTable()
        self.units = UnitTable()
        self.ilceler_by_place: dict[str, set[int]] = defaultdict(set)  # ilçe or il name key -> ilçe ids
        self.ilce_streets: dict[int, list[int]] = defaultdict(list)
        self.all_names = StreetNames([], {}, frozenset())
        self.street_names: dict[int, str] = {}  # csbm id -> name key (numbered streets have none)
        self._areas: OrderedDict[frozenset[int], StreetNames] = OrderedDict()
        self._areas_lock = threading.Lock()

    @classmethod
    def load(cls, version: tuple) -> "RegisterIndex":
        idx = cls(version)
        for ilce_id, ilce_ad, il_ad in Ilce.objects.values_list("id", "ad", "il__ad"):
            idx.ilceler_by_place[ascii_key(ilce_ad)].add(ilce_id)
            idx.ilceler_by_place[ascii_key(il_ad)].add(ilce_id)
        idx.places = frozenset(idx.ilceler_by_place) | {ascii_key(n) for n in Il.objects.values_list("ad", flat=True)}
        for mid, ad in Mahalle.objects.values_list("id", "ad"):
            idx.mahalle_names[mid] = ad
            idx.mahalle_by_key[mahalle_key(ad)].append(mid)
        street_mahalle: dict[int, set[int]] = defaultdict(set)
        for cid, mid in Csbm.mahalleler.through.objects.values_list("csbm_id", "mahalle_id"):
            street_mahalle[cid].add(mid)
        lon, lat = _xy(F("geom"))
        rows = (Adres.objects.filter(csbm__isnull=False).annotate(x=lon, y=lat).order_by("csbm_id", "id")
                .values_list("id", "csbm_id", "mahalle_id", "kapi_no", "x", "y"))
        for aid, cid, mid, kapi, x, y in rows.iterator(chunk_size=20_000):
            idx.doors.append(cid, aid, mid, kapi, x, y)
            if mid:
                street_mahalle[cid].add(mid)
        slon, slat = _xy(Func(F("geom"), function="ST_PointOnSurface", output_field=PointField()))
        for csbm in Csbm.objects.only("id", "ilce_id", "tur", "ad", "numara").annotate(x=slon, y=slat):
            key = street_key(csbm.ad) if csbm.ad else StreetPart(str(csbm.numara), number=csbm.numara)
            idx.streets[csbm.id] = IndexedStreet(csbm.id, csbm.tur, csbm.tam_ad,
                                                 frozenset(street_mahalle[csbm.id]), csbm.ilce_id, csbm.x, csbm.y)
            idx.ilce_streets[csbm.ilce_id].append(csbm.id)
            if key.name_key:
                idx.by_name[key.name_key].append(csbm.id)
                idx.street_names[csbm.id] = key.name_key
            if key.number is not None:
                idx.by_number[key.number].append((csbm.id, False))
            for alt in key.alt_numbers:
                idx.by_number[alt].append((csbm.id, True))
        units = BagimsizBolum.objects.order_by("adres_id", "id").values_list("adres_id", "id", "ic_kapi_no")
        for aid, bid, ic in units.iterator(chunk_size=50_000):
            idx.units.append(aid, bid, ic)
        idx.name_keys, idx.mahalle_keys = list(idx.by_name), list(idx.mahalle_by_key)
        idx.name_words, idx.mahalle_words = _by_word(idx.name_keys), _by_word(idx.mahalle_keys)
        idx.all_names = StreetNames(idx.name_keys, idx.name_words, frozenset(idx.name_keys))
        return idx

    def area(self, *written: str | None) -> frozenset[int] | None:
        """The ilçe ids that the written ilçe and il names allow (each may be either: "... Çankaya"
        alone is parsed as the il), or None when they name no known place or every ilçe. When the
        two disagree, the first (the ilçe as written) wins."""
        found = [frozenset(self.ilceler_by_place[k]) for k in (ascii_key(w) for w in written if w)
                 if k in self.ilceler_by_place]
        if not found:
            return None
        area = frozenset.intersection(*found) or found[0]
        return area if set(self.ilce_streets) - area else None  # naming every ilçe narrows nothing

    def names(self, area: frozenset[int] | None) -> StreetNames:
        """The street names of an area (kept for the 256 areas used last), or the register's."""
        if area is None:
            return self.all_names
        with self._areas_lock:
            cached = self._areas.get(area)
            if cached is not None:
                self._areas.move_to_end(area)
                return cached
        keys = list(dict.fromkeys(self.street_names[sid] for ilce in sorted(area)
                                  for sid in self.ilce_streets.get(ilce, ()) if sid in self.street_names))
        names = StreetNames(keys, _by_word(keys), frozenset(keys), area)
        with self._areas_lock:
            self._areas[area] = names
            if len(self._areas) > 256:
                self._areas.popitem(last=False)
        return names

    def street_doors(self, csbm_id: int) -> tuple[dict[str, list[IndexedDoor]], dict[int, list[IndexedDoor]]]:
        """The street's doors by door key ("12A") and by number (12)."""
        return self.doors.street(csbm_id)

    def unit(self, adres_id: int, written: str) -> int | None:
        """The bağımsız bölüm of a door written as `written` ("5", "D:5")."""
        return self.units.find(adres_id, unit_key(written))


def _put(values: array, value: int) -> array:
    """Append to a 32-bit array, widening it to 64 bits the first time a value does not fit."""
    try:
        values.append(value)
    except OverflowError:
        values = array("q", values)
        values.append(value)
    return values


class DoorTable:
    """Every door of every street in flat arrays ordered by street, ~30 bytes a door (door
    objects in per-street dicts took ~480 with their keys; with the units, the index of a city of
    a million buildings was heading for 1.4 GB per worker). A street's lookup tables are made on
    first use and kept for the STREET_CACHE streets used last."""

    def __init__(self) -> None:
        self.adres, self.mahalle = array("i"), array("i")  # widened by _put when ids outgrow 32 bits
        self.lon, self.lat = array("d"), array("d")
        self.text, self.ends = bytearray(), array("I")  # kapi_no values, utf-8, end offsets
        self.ranges: dict[int, tuple[int, int]] = {}
        self._cache: OrderedDict[int, tuple[dict, dict]] = OrderedDict()
        self._lock = threading.Lock()

    def append(self, csbm_id: int, adres_id: int, mahalle_id: int | None, kapi_no: str, lon: float,
               lat: float) -> None:
        """Add a door; doors arrive grouped by street."""
        n = len(self.adres)
        self.ranges[csbm_id] = (self.ranges.get(csbm_id, (n, n))[0], n + 1)
        self.adres = _put(self.adres, adres_id)
        self.mahalle = _put(self.mahalle, mahalle_id or 0)
        self.lon.append(lon)
        self.lat.append(lat)
        self.text += kapi_no.encode()
        self.ends.append(len(self.text))

    def street(self, csbm_id: int) -> tuple[dict[str, list[IndexedDoor]], dict[int, list[IndexedDoor]]]:
        with self._lock:
            cached = self._cache.get(csbm_id)
            if cached is not None:
                self._cache.move_to_end(csbm_id)
                return cached
        by_key: dict[str, list[IndexedDoor]] = defaultdict(list)
        by_base: dict[int, list[IndexedDoor]] = defaultdict(list)
        start, end = self.ranges.get(csbm_id, (0, 0))
        for i in range(start, end):
            kapi = self.text[self.ends[i - 1] if i else 0:self.ends[i]].decode()
            parsed = register_door_key(kapi)
            if parsed is None:
                continue
            door = IndexedDoor(self.adres[i], self.mahalle[i] or None, kapi, self.lon[i], self.lat[i])
            by_key[parsed[0]].append(door)
            by_base[parsed[1]].append(door)
        tables = (dict(by_key), dict(by_base))
        with self._lock:
            self._cache[csbm_id] = tables
            if len(self._cache) > STREET_CACHE:
                self._cache.popitem(last=False)
        return tables


class UnitTable:
    """Every bağımsız bölüm as (door, id, iç kapı no) in flat arrays ordered by door, ~14 bytes
    a unit (a dict per door took ~170: 3 million units are a city of a million buildings)."""

    def __init__(self) -> None:
        self.adres, self.ids = array("i"), array("i")  # widened by _put when ids outgrow 32 bits
        self.text, self.ends = bytearray(), array("I")

    def append(self, adres_id: int, unit_id: int, ic_kapi_no: str) -> None:
        """Add a unit; units arrive ordered by door."""
        self.adres = _put(self.adres, adres_id)
        self.ids = _put(self.ids, unit_id)
        self.text += ic_kapi_no.encode()
        self.ends.append(len(self.text))

    def find(self, adres_id: int, key: str) -> int | None:
        i = bisect_left(self.adres, adres_id)
        while i < len(self.adres) and self.adres[i] == adres_id:
            if unit_key(self.text[self.ends[i - 1] if i else 0:self.ends[i]].decode()) == key:
                return self.ids[i]
            i += 1
        return None


# -- the process-wide index and its refresh -------------------------------------------------------

_lock = threading.Lock()
_state: dict = {"index": None, "checked": 0.0}


def register_version() -> tuple:
    """A cheap key that changes whenever any register row is inserted, updated or deleted."""
    with connection.cursor() as cur:
        cur.execute("SELECT count(*), coalesce(sum(xid), 0), coalesce(sum(statements), 0) "
                    "FROM numarataj_register_change")
        return tuple(cur.fetchone())


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

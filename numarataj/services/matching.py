"""Textual (AKS) address matching: free text → the register's mahalle, CSBM, door and unit.

The register is read once per process into an in-memory index (streets by diacritic-free name
key and by number + kind, doors per street, units per door), because a trigram query per address
cannot reach 1,000 addresses/s and the register of one municipality fits in memory easily.

Freshness: every ``KENT_MATCH_REFRESH_SECONDS`` (default 5) a call asks PostgreSQL for a version
key of the register tables — count, max(id) and the sums of the system columns xmin and cmin
(every insert or update writes a row version with a new xmin, or a new cmin inside one
transaction; every delete changes the count). When the key differs, the index is rebuilt. Two
gunicorn workers therefore disagree for at most that interval, and edits made by any means (ORM,
bulk import, SQL) are seen; the key costs one sequential pass over the register tables.

Scoring (0–100): a weighted mean over the parts the address contains — street 60, door 30,
mahalle 10 (when written, or when leftover words matched one), iç kapı 5 (when written); so the
score says how well the written parts matched, and a street_only answer can still score high.
- Street names: exact diacritic-free key, else rapidfuzz — the better of ``ratio`` and 0.95 ×
  ``token_set_ratio`` (subsets such as "Fevzi Çakmak" for "Mareşal Fevzi Çakmak"), cut off at 80.
  Leading words may be a mahalle or place written without a keyword ("Emek Kazakistan 41"): a
  shorter exact name counts fully when they are one, else it loses 12 points per dropped word.
- Numbered streets must have the same number ("36" is not "38"). A kind other than the written
  one costs 8 points (15 when the name was fuzzy too, 25 for numbered streets, where "54. Cadde"
  and "54. Sokak" are different streets).
- Doors match exactly on their key ("6/B" = "6B"), or by number alone (85) when the letter differs.
Status: ``exact`` (street, door and any mahalle exact), ``fuzzy`` (a door found through a fuzzy
part, or two streets tied), ``street_only`` (street found, door not; the street must score ≥ 90),
``not_found`` with the reason (candidates, if any, are only suggestions then).
"""

import re
import threading
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.contrib.gis.db.models import PointField
from django.db import connection
from django.db.models import F, FloatField, Func
from rapidfuzz import fuzz, process

from geo.errors import InvalidInput
from numarataj.models import Adres, BagimsizBolum, Csbm, Il, Ilce, Mahalle

from .normalize import ascii_key
from .parse import MAHALLE_WORDS, MAX_LENGTH, ParsedAddress, StreetPart, door_key, name_key, parse_address, street_key

DEFAULT_LIMIT = 5
MAX_LIMIT = 20
STREET_MIN = 80.0
MAHALLE_MIN = 80.0
EXTRA_MAHALLE_MIN = 88.0  # leftover words are a weaker hint than a written "... Mah."
WEIGHTS = {"street": 60, "door": 30, "mahalle": 10, "unit": 5}
KIND_PENALTY, FUZZY_KIND_PENALTY, NUMBER_KIND_PENALTY = 8.0, 15.0, 25.0  # written kind ≠ register kind
ALT_NUMBER_SCORE, DOOR_BASE_SCORE, DROPPED_WORD_PENALTY = 90.0, 85.0, 12.0
STREET_ONLY_MIN = 90.0  # a street-only answer needs a street at least this close
EXACT, FUZZY, STREET_ONLY, NOT_FOUND = "exact", "fuzzy", "street_only", "not_found"
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class _Street:
    id: int
    kind: str
    label: str
    mahalle_ids: frozenset[int]
    lon: float | None
    lat: float | None


@dataclass(frozen=True, slots=True)
class _Door:
    adres_id: int
    mahalle_id: int | None
    kapi_no: str
    lon: float
    lat: float


@dataclass
class Candidate:
    score: float
    status: str
    reason: str | None
    csbm_id: int
    csbm: str
    street_score: float
    mahalle_id: int | None = None
    mahalle: str | None = None
    adres_id: int | None = None
    kapi_no: str | None = None
    bagimsiz_bolum_id: int | None = None
    lon: float | None = None
    lat: float | None = None
    point: str | None = None  # "kapi" (the door) or "sokak" (a point on the street)
    matched: dict[str, str] = field(default_factory=dict)


@dataclass
class MatchResult:
    query: str
    status: str
    reason: str | None = None
    reason_code: str | None = None
    candidates: list[Candidate] = field(default_factory=list)
    parsed: ParsedAddress | None = None

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def as_dict(self) -> dict:
        return {"query": self.query, "status": self.status, "reason": self.reason, "reason_code": self.reason_code,
                "candidates": [asdict(c) for c in self.candidates],
                "parsed": self.parsed.as_dict() if self.parsed else None}


def _fuzzy(query: str, choices: list[str], by_word: dict[str, set[str]], cutoff: float) -> dict[str, float]:
    """Choice → score: the better of ratio (over all choices) and 0.95 × token_set_ratio (over the
    choices sharing a word with the query, which is where it differs from ratio, at ≥4 letters)."""
    found = {c: s for c, s, _ in process.extract(query, choices, scorer=fuzz.ratio, limit=8, score_cutoff=cutoff)}
    if len(query) >= 4:
        for choice in {c for w in query.split() for c in by_word.get(w, ())}:
            score = fuzz.token_set_ratio(query, choice) * 0.95
            if score >= cutoff:
                found[choice] = max(found.get(choice, 0.0), score)
    return found


def _by_word(keys: list[str]) -> dict[str, set[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        for word in key.split():
            index[word].add(key)
    return index


def _mahalle_key(ad: str) -> str:
    return name_key([w for w in _WORDS.findall(ascii_key(ad)) if w not in MAHALLE_WORDS])


def _unit_key(value: str) -> str:
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
        self.streets: dict[int, _Street] = {}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.by_number: dict[int, list[tuple[int, bool]]] = defaultdict(list)
        self.doors: dict[int, dict[str, list[_Door]]] = defaultdict(lambda: defaultdict(list))
        self.doors_by_base: dict[int, dict[int, list[_Door]]] = defaultdict(lambda: defaultdict(list))
        self.units: dict[int, dict[str, int]] = defaultdict(dict)

    @classmethod
    def load(cls, version: tuple) -> "RegisterIndex":
        idx = cls(version)
        idx.places = frozenset(ascii_key(n) for n in [*Il.objects.values_list("ad", flat=True),
                                                      *Ilce.objects.values_list("ad", flat=True)])
        for mid, ad in Mahalle.objects.values_list("id", "ad"):
            idx.mahalle_names[mid] = ad
            idx.mahalle_by_key[_mahalle_key(ad)].append(mid)
        street_mahalle: dict[int, set[int]] = defaultdict(set)
        for cid, mid in Csbm.mahalleler.through.objects.values_list("csbm_id", "mahalle_id"):
            street_mahalle[cid].add(mid)
        lon, lat = _xy(F("geom"))
        for aid, cid, mid, kapi, x, y in (Adres.objects.filter(csbm__isnull=False).annotate(x=lon, y=lat)
                                          .values_list("id", "csbm_id", "mahalle_id", "kapi_no", "x", "y")):
            parsed = register_door_key(kapi)
            if parsed is None:
                continue
            door = _Door(aid, mid, kapi, x, y)
            idx.doors[cid][parsed[0]].append(door)
            idx.doors_by_base[cid][parsed[1]].append(door)
            if mid:
                street_mahalle[cid].add(mid)
        slon, slat = _xy(Func(F("geom"), function="ST_PointOnSurface", output_field=PointField()))
        for csbm in Csbm.objects.only("id", "tur", "ad", "numara").annotate(x=slon, y=slat):
            key = street_key(csbm.ad) if csbm.ad else StreetPart(str(csbm.numara), number=csbm.numara)
            idx.streets[csbm.id] = _Street(csbm.id, csbm.tur, csbm.tam_ad, frozenset(street_mahalle[csbm.id]),
                                           csbm.x, csbm.y)
            if key.name_key:
                idx.by_name[key.name_key].append(csbm.id)
            if key.number is not None:
                idx.by_number[key.number].append((csbm.id, False))
            for alt in key.alt_numbers:
                idx.by_number[alt].append((csbm.id, True))
        for bid, aid, ic in BagimsizBolum.objects.values_list("id", "adres_id", "ic_kapi_no"):
            idx.units[aid][_unit_key(ic)] = bid
        idx.name_keys, idx.mahalle_keys = list(idx.by_name), list(idx.mahalle_by_key)
        idx.name_words, idx.mahalle_words = _by_word(idx.name_keys), _by_word(idx.mahalle_keys)
        return idx

    # -- parts ---------------------------------------------------------------------------------

    def mahalle_matches(self, keys: list[str], cutoff: float) -> dict[int, tuple[float, str]]:
        """Mahalle id → (score, exact/fuzzy) for the written or leftover words."""
        found: dict[int, tuple[float, str]] = {}
        for key in filter(None, keys):
            hits = ({key: 100.0} if key in self.mahalle_by_key
                    else _fuzzy(key, self.mahalle_keys, self.mahalle_words, cutoff))
            for hit, score in hits.items():
                for mid in self.mahalle_by_key[hit]:
                    if score > found.get(mid, (0.0, ""))[0]:
                        found[mid] = (score, EXACT if score >= 100 else FUZZY)
        return found

    def street_candidates(self, part: StreetPart) -> list[tuple[int, float, list[str]]]:
        """(csbm id, score, words dropped from the front) for one written street."""
        out: list[tuple[int, float, list[str]]] = []
        if part.number is not None:
            for sid, alt in self.by_number.get(part.number, ()):
                score = ALT_NUMBER_SCORE if alt else 100.0
                if part.kind and self.streets[sid].kind != part.kind:
                    score -= NUMBER_KIND_PENALTY
                out.append((sid, score, []))
        if not part.name_key:
            return out
        whole = part.name_key
        hits = {whole: 100.0} if whole in self.by_name else _fuzzy(whole, self.name_keys, self.name_words, STREET_MIN)
        words = whole.split()
        for k in range(1, len(words) if whole not in self.by_name else 0):
            # "emek kazakistan", "çankaya kazakistan": leading words may be a mahalle or place written
            # without a keyword; a suffix counts fully only when they are, else it pays per dropped word
            dropped, suffix = words[:k], " ".join(words[k:])
            explained = self.explains(dropped)
            if suffix in self.by_name:
                hits_k = {suffix: 100.0 if explained else 100.0 - DROPPED_WORD_PENALTY * k}
            else:
                hits_k = _fuzzy(suffix, self.name_keys, self.name_words, STREET_MIN) if explained else {}
            out += self._scored(part, hits_k, dropped)
        return out + self._scored(part, hits, [])

    def _scored(self, part: StreetPart, hits: dict[str, float], dropped: list[str]) -> list:
        """Street ids for name hits, less the kind penalty (larger when the name too was fuzzy)."""
        out = []
        for hit, score in hits.items():
            for sid in self.by_name[hit]:
                if part.kind and self.streets[sid].kind != part.kind:
                    score_k = score - (KIND_PENALTY if score >= 100 else FUZZY_KIND_PENALTY)
                else:
                    score_k = score
                if score_k >= STREET_MIN or score >= 100:
                    out.append((sid, score_k, dropped))
        return out

    def explains(self, words: list[str]) -> bool:
        """True when words are a known place (ilçe/il) or mahalle name."""
        return all(w in self.places for w in words) or bool(
            self.mahalle_matches([" ".join(words)], EXTRA_MAHALLE_MIN))

    def find_door(self, sid: int, door: str) -> tuple[list[_Door], str]:
        by_key = self.doors.get(sid, {})
        if door in by_key:
            return by_key[door], EXACT
        parsed = door_key(door)
        same_number = self.doors_by_base.get(sid, {}).get(parsed[1], []) if parsed else []
        return sorted(same_number, key=lambda d: len(d.kapi_no)), (FUZZY if same_number else "missing")

    # -- one address ---------------------------------------------------------------------------

    def candidate(self, p: ParsedAddress, sid: int, s_score: float,
                  mahalleler: dict[int, tuple[float, str]], mahalle_written: bool) -> Candidate:
        street = self.streets[sid]
        matched = {"street": EXACT if s_score >= 100 else FUZZY}
        weighted = {"street": s_score}
        doors, door_how = self.find_door(sid, p.door) if p.door else ([], "")
        entry = max(doors, key=lambda d: d.mahalle_id in mahalleler, default=None)
        in_street = [m for m in street.mahalle_ids if m in mahalleler]
        mid = entry.mahalle_id if entry and entry.mahalle_id else None
        if mid is None and in_street:
            mid = max(in_street, key=lambda m: mahalleler[m][0])
        elif mid is None and len(street.mahalle_ids) == 1:
            mid = next(iter(street.mahalle_ids))
        if mahalle_written and not street.mahalle_ids and mid is None:
            matched["mahalle"] = "unchecked"
        elif mahalle_written or (mid in mahalleler):
            score, how = mahalleler.get(mid, (0.0, "missing")) if mid is not None else (0.0, "missing")
            weighted["mahalle"], matched["mahalle"] = score, how
        if p.door:
            weighted["door"] = 100.0 if door_how == EXACT else DOOR_BASE_SCORE if entry else 0.0
            matched["door"] = door_how
        bb = None
        unit = p.unit or (p.door[-1] if door_how == FUZZY and p.door and p.door[-1].isalpha() else None)
        if unit and entry:
            bb = self.units.get(entry.adres_id, {}).get(_unit_key(unit))
        if p.unit:
            weighted["unit"], matched["unit"] = (100.0 if bb else 0.0), (EXACT if bb else "missing")
        score = sum(WEIGHTS[k] * v for k, v in weighted.items()) / sum(WEIGHTS[k] for k in weighted)
        if entry is None:
            status = STREET_ONLY
            reason = (f"kapı numarası {p.door_text or p.door} bu sokakta yok ({street.label})" if p.door
                      else "kapı numarası yazılmamış")
        else:
            parts = [matched["street"], matched["door"], matched.get("mahalle", EXACT)]
            status, reason = (EXACT if all(h in (EXACT, "unchecked") for h in parts) else FUZZY), None
            if matched.get("mahalle") == "missing":
                reason = f"yazılan mahalle kayıttakiyle uyuşmuyor (kayıtta: {self.mahalle_names.get(mid, '?')})"
        return Candidate(
            score=round(score, 1), status=status, reason=reason, csbm_id=sid, csbm=street.label,
            street_score=round(s_score, 1),
            mahalle_id=mid, mahalle=self.mahalle_names.get(mid) if mid else None,
            adres_id=entry.adres_id if entry else None, kapi_no=entry.kapi_no if entry else None,
            bagimsiz_bolum_id=bb, lon=entry.lon if entry else street.lon, lat=entry.lat if entry else street.lat,
            point=("kapi" if entry else "sokak") if (entry or street.lon is not None) else None, matched=matched)

    def match(self, p: ParsedAddress, limit: int = DEFAULT_LIMIT) -> MatchResult:
        result = MatchResult(query=p.raw, status=NOT_FOUND, parsed=p)
        if not self.streets:
            result.reason, result.reason_code = "adres kaydı boş", "empty_register"
            return result
        parts = p.streets or [StreetPart(e, name_key=e) for e in p.extras]
        if not parts:
            result.reason, result.reason_code = "adreste sokak/cadde adı yok", "no_street"
            return result
        written = p.mahalle is not None
        leftovers = [e for e in p.extras if p.streets or len(p.extras) > 1]
        mahalle_hint = (self.mahalle_matches([p.mahalle], MAHALLE_MIN) if written
                        else self.mahalle_matches(leftovers, EXTRA_MAHALLE_MIN))
        best: dict[tuple[int, int | None], Candidate] = {}
        for part in parts:
            for sid, s_score, dropped in self.street_candidates(part):
                hint = mahalle_hint
                if dropped and not written:
                    hint = {**self.mahalle_matches([" ".join(dropped)], EXTRA_MAHALLE_MIN), **mahalle_hint}
                cand = self.candidate(p, sid, s_score, hint, written)
                key = (cand.csbm_id, cand.adres_id)
                if key not in best or cand.score > best[key].score:
                    best[key] = cand
        written_streets = "; ".join(part.text for part in parts)
        if not best:
            result.reason, result.reason_code = f"sokak bulunamadı: {written_streets}", "street_not_found"
            return result
        ranked = sorted(best.values(), key=lambda c: (-c.score, c.status != EXACT, c.csbm_id))
        top, result.candidates = ranked[0], ranked[:limit]
        ties = [c for c in ranked if c.score == top.score and c.csbm_id != top.csbm_id]
        if top.adres_id is None and top.street_score < STREET_ONLY_MIN:  # a rough street and no door
            result.reason_code = "street_not_found"
            result.reason = f"sokak bulunamadı: {written_streets} (en yakın: {top.csbm}, {top.street_score:.0f})"
        elif ties:  # "Kiol 7" with both Kiol Sokak and Kiol Bulvarı: say so, never call it exact
            result.status = FUZZY if top.status == EXACT else top.status
            result.reason = f"belirsiz: {len(ties) + 1} sokak aynı puanda ({top.csbm}, {ties[0].csbm})"
        else:
            result.status, result.reason = top.status, top.reason
        if result.status != NOT_FOUND:
            result.reason_code = None if top.adres_id else ("door_not_found" if p.door else "no_door")
        return result


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


def match_address(text: str, limit: int = DEFAULT_LIMIT, index: RegisterIndex | None = None) -> MatchResult:
    """Match one address; empty or over-long input comes back as not_found with the reason."""
    index = index or get_index()
    try:
        parsed = parse_address(text, index.places)
    except InvalidInput as e:
        shown = text if len(text) <= 80 else text[:80] + "…"
        return MatchResult(query=shown, status=NOT_FOUND, reason=e.message, reason_code=e.detail.get("reason_code"))
    return index.match(parsed, limit)


def match_addresses(texts: list[str], limit: int = DEFAULT_LIMIT) -> list[MatchResult]:
    """Match many addresses against one index snapshot."""
    index = get_index()
    return [match_address(t, limit, index) for t in texts]

"""Textual (AKS) address matching: free text → the register's mahalle, CSBM, door and unit,
scored against the in-memory register of services/match_index.py.

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
- A written ilçe or il that the register knows ("... Çankaya/Ankara") narrows the streets to its
  ilçeler, as a clerk would: street names repeat across the ilçeler of a city (a million-building
  register scored 68 doors a query instead of 1.4). When no street of the area scores
  STREET_ONLY_MIN the whole register is searched (an ilçe written wrong, a street across the border).
Status: ``exact`` (street, door and any mahalle exact), ``fuzzy`` (a door found through a fuzzy
part, or two streets tied), ``street_only`` (street found, door not; the street must score ≥ 90),
``not_found`` with the reason (candidates, if any, are only suggestions then).
"""

from dataclasses import asdict, dataclass, field

from rapidfuzz import fuzz, process

from geo.errors import InvalidInput

from .match_index import IndexedDoor, RegisterIndex, StreetNames, get_index
from .parse import ParsedAddress, StreetPart, door_key, parse_address

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


# -- the parts of an address ----------------------------------------------------------------


def mahalle_matches(ix: RegisterIndex, keys: list[str], cutoff: float) -> dict[int, tuple[float, str]]:
    """Mahalle id → (score, exact/fuzzy) for the written or leftover words."""
    found: dict[int, tuple[float, str]] = {}
    for key in filter(None, keys):
        hits = ({key: 100.0} if key in ix.mahalle_by_key
                else _fuzzy(key, ix.mahalle_keys, ix.mahalle_words, cutoff))
        for hit, score in hits.items():
            for mid in ix.mahalle_by_key[hit]:
                if score > found.get(mid, (0.0, ""))[0]:
                    found[mid] = (score, EXACT if score >= 100 else FUZZY)
    return found


def street_candidates(ix: RegisterIndex, part: StreetPart,
                      names: StreetNames | None = None) -> list[tuple[int, float, list[str]]]:
    """(csbm id, score, words dropped from the front) for one written street, among `names` (an
    area's streets; the whole register by default)."""
    names = names or ix.all_names
    out: list[tuple[int, float, list[str]]] = []
    if part.number is not None:
        for sid, alt in ix.by_number.get(part.number, ()):
            if not names.allows(ix.streets[sid]):
                continue
            score = ALT_NUMBER_SCORE if alt else 100.0
            if part.kind and ix.streets[sid].kind != part.kind:
                score -= NUMBER_KIND_PENALTY
            out.append((sid, score, []))
    if not part.name_key:
        return out
    whole = part.name_key
    hits = {whole: 100.0} if whole in names.known else _fuzzy(whole, names.keys, names.words, STREET_MIN)
    words = whole.split()
    for k in range(1, len(words) if whole not in names.known else 0):
        # "emek kazakistan", "çankaya kazakistan": leading words may be a mahalle or place written
        # without a keyword; a suffix counts fully only when they are, else it pays per dropped word
        dropped, suffix = words[:k], " ".join(words[k:])
        explained = explains(ix, dropped)
        if suffix in names.known:
            hits_k = {suffix: 100.0 if explained else 100.0 - DROPPED_WORD_PENALTY * k}
        else:
            hits_k = _fuzzy(suffix, names.keys, names.words, STREET_MIN) if explained else {}
        out += _scored(ix, part, hits_k, dropped, names)
    return out + _scored(ix, part, hits, [], names)


def _scored(ix: RegisterIndex, part: StreetPart, hits: dict[str, float], dropped: list[str],
            names: StreetNames) -> list:
    """Street ids for name hits in the area, less the kind penalty (larger when the name too was fuzzy)."""
    out = []
    for hit, score in hits.items():
        for sid in ix.by_name[hit]:
            if not names.allows(ix.streets[sid]):
                continue
            if part.kind and ix.streets[sid].kind != part.kind:
                score_k = score - (KIND_PENALTY if score >= 100 else FUZZY_KIND_PENALTY)
            else:
                score_k = score
            if score_k >= STREET_MIN or score >= 100:
                out.append((sid, score_k, dropped))
    return out


def explains(ix: RegisterIndex, words: list[str]) -> bool:
    """True when words are a known place (ilçe/il) or mahalle name."""
    return all(w in ix.places for w in words) or bool(
        mahalle_matches(ix, [" ".join(words)], EXTRA_MAHALLE_MIN))


def find_door(ix: RegisterIndex, sid: int, door: str) -> tuple[list[IndexedDoor], str]:
    by_key, by_base = ix.street_doors(sid)
    if door in by_key:
        return by_key[door], EXACT
    parsed = door_key(door)
    same_number = by_base.get(parsed[1], []) if parsed else []
    return sorted(same_number, key=lambda d: len(d.kapi_no)), (FUZZY if same_number else "missing")


# -- one address --------------------------------------------------------------------------------


def candidate(ix: RegisterIndex, p: ParsedAddress, sid: int, s_score: float,
              mahalleler: dict[int, tuple[float, str]], mahalle_written: bool) -> Candidate:
    street = ix.streets[sid]
    matched = {"street": EXACT if s_score >= 100 else FUZZY}
    weighted = {"street": s_score}
    doors, door_how = find_door(ix, sid, p.door) if p.door else ([], "")
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
        bb = ix.unit(entry.adres_id, unit)
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
            reason = f"yazılan mahalle kayıttakiyle uyuşmuyor (kayıtta: {ix.mahalle_names.get(mid, '?')})"
    return Candidate(
        score=round(score, 1), status=status, reason=reason, csbm_id=sid, csbm=street.label,
        street_score=round(s_score, 1),
        mahalle_id=mid, mahalle=ix.mahalle_names.get(mid) if mid else None,
        adres_id=entry.adres_id if entry else None, kapi_no=entry.kapi_no if entry else None,
        bagimsiz_bolum_id=bb, lon=entry.lon if entry else street.lon, lat=entry.lat if entry else street.lat,
        point=("kapi" if entry else "sokak") if (entry or street.lon is not None) else None, matched=matched)


def match(ix: RegisterIndex, p: ParsedAddress, limit: int = DEFAULT_LIMIT) -> MatchResult:
    result = MatchResult(query=p.raw, status=NOT_FOUND, parsed=p)
    if not ix.streets:
        result.reason, result.reason_code = "adres kaydı boş", "empty_register"
        return result
    parts = p.streets or [StreetPart(e, name_key=e) for e in p.extras]
    if not parts:
        result.reason, result.reason_code = "adreste sokak/cadde adı yok", "no_street"
        return result
    written = p.mahalle is not None
    leftovers = [e for e in p.extras if p.streets or len(p.extras) > 1]
    mahalle_hint = (mahalle_matches(ix, [p.mahalle], MAHALLE_MIN) if written
                    else mahalle_matches(ix, leftovers, EXTRA_MAHALLE_MIN))
    best: dict[tuple[int, int | None], Candidate] = {}
    names = ix.names(ix.area(p.ilce, p.il))
    found = [street_candidates(ix, part, names) for part in parts]
    if names.ilceler is not None and max((c[1] for hits in found for c in hits), default=0.0) < STREET_ONLY_MIN:
        found = [street_candidates(ix, part) for part in parts]  # no street of the written area is close
    for hits in found:
        for sid, s_score, dropped in hits:
            hint = mahalle_hint
            if dropped and not written:
                hint = {**mahalle_matches(ix, [" ".join(dropped)], EXTRA_MAHALLE_MIN), **mahalle_hint}
            cand = candidate(ix, p, sid, s_score, hint, written)
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


def match_address(text: str, limit: int = DEFAULT_LIMIT, index: RegisterIndex | None = None) -> MatchResult:
    """Match one address; empty or over-long input comes back as not_found with the reason."""
    index = index or get_index()
    try:
        parsed = parse_address(text, index.places)
    except InvalidInput as e:
        shown = text if len(text) <= 80 else text[:80] + "…"
        return MatchResult(query=shown, status=NOT_FOUND, reason=e.message, reason_code=e.detail.get("reason_code"))
    return match(index, parsed, limit)


def match_addresses(texts: list[str], limit: int = DEFAULT_LIMIT) -> list[MatchResult]:
    """Match many addresses against one index snapshot."""
    index = get_index()
    return [match_address(t, limit, index) for t in texts]

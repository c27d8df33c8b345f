"""Suggestions while a citizen types: mahalleler, streets, addresses (doors) and places, in one list.

- Every written word must start a word of the name, compared on the diacritic-free Turkish fold
  ("kazim karab" finds "Kazım Karabekir Caddesi", "İNÖNÜ" and "inonu" are the same); street-kind
  abbreviations are expanded ("cd" → caddesi, "sk" → sokak). A word that starts nothing may be a
  typo: it then matches words whose beginning is within one edit (two for 7+ letters).
- Text with a number may be an address: the AKS matcher (numarataj.services.matching) reads it and
  its doors come first ("Kazakistan Cad. 41", "36. Sok no 30 Emek"); a 10-digit number is looked
  up as a bağımsız bölüm's address code.
- Over-long text is refused before any work (InvalidInput → 400); the query is never echoed back.
"""

import heapq
import math
import re
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import Levenshtein

from geo.errors import InvalidInput
from numarataj.models import BagimsizBolum
from numarataj.services.matching import EXACT, FUZZY, match_address
from numarataj.services.parse import DOOR_WORDS, KIND_WORDS, MAHALLE_WORDS, NAME_ABBREVIATIONS

from .index import BUILDING, MAHALLE, PLACE, STREET, Entry, GuideIndex, get_index, words_of

MAX_QUERY = 200
MIN_NAME_CHARS = 2  # one letter matches a good part of a city: nothing useful, and the slowest query
DEFAULT_LIMIT, MAX_LIMIT = 8, 20
MAX_ADDRESSES = 3
KIND_WEIGHT = {MAHALLE: 40, STREET: 30, PLACE: 25, BUILDING: 10}
EXACT_WORD, PREFIX_WORD, TYPO_WORD = 3, 2, 1
SUFFIX_WORD = {"cadde": "caddesi", "sokak": "sokak", "bulvar": "bulvari", "meydan": "meydani",
               "kume_evler": "kume"}
OTHER_ABBREVIATIONS = {"apt": "apartmani", "ap": "apartmani", "sit": "sitesi", "ecz": "eczanesi",
                       "hst": "hastanesi", "asm": "aile", "kut": "kutuphanesi"}
_CODE = re.compile(r"^\d{10}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TAG = re.compile(r"<[^<>]{0,200}>")  # pasted markup: its text counts, its tags do not


@dataclass(frozen=True)
class QueryWord:
    text: str
    last: bool  # the word being typed: a prefix; earlier words are complete
    alt: str = ""  # what an abbreviation stands for: "cd" → "caddesi", "apt" → "apartmani"


def clean_query(raw: str) -> str:
    """The query without control characters, tags and outer spaces; too long → InvalidInput."""
    if len(raw) > MAX_QUERY:
        raise InvalidInput(f"Arama metni çok uzun: {len(raw)} karakter, en çok {MAX_QUERY}. "
                           f"(Search text too long: at most {MAX_QUERY} characters.)", reason_code="too_long",
                           max_length=MAX_QUERY)
    return _TAG.sub(" ", _CONTROL.sub(" ", raw)).strip()


def expansion(word: str) -> str:
    """The full word an abbreviation stands for, or ''."""
    if word in MAHALLE_WORDS:
        return "mahallesi"
    if word in KIND_WORDS:
        return SUFFIX_WORD[KIND_WORDS[word]]
    return NAME_ABBREVIATIONS.get(word) or OTHER_ABBREVIATIONS.get(word, "")


def query_words(text: str) -> list[QueryWord]:
    """Folded words with their expansions; door keywords ("no") are dropped."""
    words = [w for w in words_of(text) if w not in DOOR_WORDS]
    return [QueryWord(w, i == len(words) - 1, expansion(w)) for i, w in enumerate(words)]


def _typo_words(index: GuideIndex, word: str) -> list[str]:
    """Index words whose beginning is within 1 edit of the word (2 from 7 letters); none under 4
    letters. Short words must keep their first letter, as people rarely mistype that one."""
    if len(word) < 4 or word.isdigit():
        return []
    allowed = 1 if len(word) < 7 else 2
    lengths = (len(word) - 1, len(word), len(word) + 1)
    found = []
    for w in index.words:
        if len(word) < 6 and w[0] != word[0]:
            continue
        if any(Levenshtein.distance(word, w[:n], score_cutoff=allowed) <= allowed for n in lengths if n <= len(w)):
            found.append(w)
    return found


def word_matches(index: GuideIndex, qw: QueryWord) -> dict[int, int]:
    """Entry position → how well this query word matched one of its words (exact, prefix, typo)."""
    quality: dict[str, int] = {}
    for text in filter(None, (qw.text, qw.alt)):
        if text in index.postings:
            quality[text] = EXACT_WORD
        if qw.last or text not in index.postings:
            for w in index.words_with_prefix(text):
                quality.setdefault(w, PREFIX_WORD)
    if not quality:
        quality = dict.fromkeys(_typo_words(index, qw.text), TYPO_WORD)
    found: dict[int, int] = {}
    for w, q in quality.items():
        for pos in index.postings[w]:
            if q > found.get(pos, 0):
                found[pos] = q
    return found


def name_matches(index: GuideIndex, words: list[QueryWord], limit: int,
                 near: tuple[float, float] | None = None) -> list[tuple[float, Entry]]:
    """The best `limit` (score, entry) pairs among entries matching every word; among equal scores
    the nearest to `near` (lat, lon: a kiosk, or the map's centre) comes first, else the shorter
    name. The rarest word is looked up first; only the top scores are ranked by distance."""
    if not words:
        return []
    per_word = [word_matches(index, w) for w in words]
    per_word.sort(key=len)
    scored = []
    for pos, q in per_word[0].items():
        total = q
        for other in per_word[1:]:
            if pos not in other:
                break
            total += other[pos]
        else:
            e = index.entries[pos]
            first = e.words and e.words[0].startswith(words[0].text)
            score = KIND_WEIGHT[e.kind] + 10 * total / len(words) + (8 if first else 0) - len(e.words)
            scored.append((round(score), e))
    if near is None:
        return heapq.nsmallest(limit, scored, key=lambda pair: (-pair[0], pair[1].label))
    top = heapq.nlargest(limit, scored, key=lambda pair: pair[0])
    cut = top[-1][0] if top else 0
    ties = [pair for pair in scored if pair[0] >= cut]  # every entry scoring like the last kept one
    lat, lon = near
    kx = math.cos(math.radians(lat))  # equirectangular: plenty to order places a few km apart
    return heapq.nsmallest(limit, ties, key=lambda pair: (
        -pair[0], (pair[1].lat - lat) ** 2 + ((pair[1].lon - lon) * kx) ** 2))


def address_suggestions(text: str) -> list[dict[str, Any]]:
    """Doors the AKS matcher finds for text with a number, or the address of a 10-digit unit code."""
    if _CODE.match(text):
        unit = (BagimsizBolum.objects.select_related("adres__csbm", "adres__mahalle")
                .filter(adres_kodu=text).first())
        if unit is None or unit.adres.csbm_id is None:
            return []
        adres = unit.adres
        return [{"ref": f"a-{adres.pk}", "kind": "adres", "label": f"{adres.csbm.tam_ad} No: {adres.kapi_no}",
                 "sub": adres.mahalle.ad if adres.mahalle_id else "", "category": "", "code": unit.adres_kodu,
                 "lat": round(adres.geom.y, 6), "lon": round(adres.geom.x, 6)}]
    if not any(c.isdigit() for c in text) or not any(c.isalpha() for c in text):
        return []
    result = match_address(text, limit=MAX_ADDRESSES)
    out = []
    for c in result.candidates:
        if c.adres_id is None or c.status not in (EXACT, FUZZY) or c.lat is None:
            continue
        out.append({"ref": f"a-{c.adres_id}", "kind": "adres", "label": f"{c.csbm} No: {c.kapi_no}",
                    "sub": c.mahalle or "", "category": "", "approx": c.status != EXACT,
                    "lat": round(c.lat, 6), "lon": round(c.lon, 6)})
    return out


def suggest(raw: str, limit: int = DEFAULT_LIMIT, near: tuple[float, float] | None = None) -> list[dict[str, Any]]:
    """Mixed suggestions for the text typed so far, best first; an empty text suggests nothing."""
    text = clean_query(raw)
    if not text:
        return []
    limit = max(1, min(limit, MAX_LIMIT))
    index = get_index()
    results = address_suggestions(text)
    words = query_words(text) if len(text) >= MIN_NAME_CHARS else []
    named = name_matches(index, words, limit, near)
    cut = next((i for i, w in enumerate(words) if i > 0 and w.text.isdigit()), None)
    if not named and cut:  # "Kazakistan Cad 41", "36 Sok no 30": the street before the door number
        named = name_matches(index, words[:cut], limit, near)
    seen = {r["ref"] for r in results}
    for _score, e in named:
        if len(results) >= limit:
            break
        if e.ref not in seen:
            seen.add(e.ref)
            results.append(e.as_dict())
    return results[:limit]

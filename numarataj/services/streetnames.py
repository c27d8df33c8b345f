"""A street name as written ('Mrşl. Fevzi Çakmak Cad.', '36.Sok', '1203. Sokak') in the register's
parts: a CSBM is (tür, ad) or (tür, numara).

The words are the address parser's (``parse``): the same kind words with the same tolerance for
slips, the same title abbreviations and the same diacritic-free keys, so a name read from OSM, a
name typed by an officer and the street of a free-text address compare alike. A name without a
kind word at its end ('Yaya Üst Geçidi', 'Başkent Öğretmenevi') is kept whole as a sokak: the
register has no better kind for footways and service roads. A numbered meydan keeps its number
in the name (squares are named, never numbered)."""

import re
import unicodedata
from dataclasses import dataclass

from geo.text import ascii_key, turkish_lower
from numarataj.models import CsbmTuru

from .parse import EVLER_WORDS, KUME_WORDS, name_key, street_kind, tokenize

# The last word (and the one before it, for 'Küme Evleri'), with an optional dot, at the end.
_LAST_WORDS = re.compile(r"(?:(?<![^\W\d_])([^\W\d_]+)[\s.]+)?(?<![^\W\d_])([^\W\d_]+)\.?\s*$")


@dataclass(frozen=True)
class StreetName:
    """A street name split the way the register stores it."""

    tur: str
    ad: str
    numara: int | None

    @property
    def key(self) -> str:
        """A matching key: the same street written two ways gives the same key."""
        return f"{self.tur}:{self.base_key}"

    @property
    def base_key(self) -> str:
        """The key without the kind: '#36' for a numbered street, else the name's word key."""
        return f"#{self.numara}" if self.numara is not None else words_key(self.ad)


def words_key(text: str) -> str:
    """Diacritic-free words without punctuation or bracketed parts, abbreviations expanded:
    'Mrşl. Fevzi Çakmak (eski)' → 'maresal fevzi cakmak'."""
    depth, words = 0, []
    for token in tokenize(turkish_lower(text)):
        depth += (token.text == "(") - (token.text == ")")
        if depth == 0 and token.kind != "punct":
            words.append(token.key)
    return name_key(words)


def _kind_at_end(text: str) -> tuple[str, str] | None:
    """(kind, the text before it) when the name ends with a kind word ('Cad.', 'Sokağı', 'Küme Evleri')."""
    m = _LAST_WORDS.search(text)
    if not m:
        return None
    before, last = m.group(1), m.group(2)
    if before and ascii_key(before) in KUME_WORDS and ascii_key(last) in EVLER_WORDS:
        return CsbmTuru.KUME_EVLER.value, text[: m.start()]
    kind = street_kind(ascii_key(last))
    if kind is None:
        return None
    return kind, text[: m.start(2)]


def parse_street_name(name: str) -> StreetName:
    """Split 'Atatürk Caddesi' → (cadde, 'Atatürk'), '1203. Sokak' → (sokak, 1203)."""
    text = " ".join(unicodedata.normalize("NFC", name).split())
    found = _kind_at_end(text)
    if found:
        kind, base = found[0], found[1].strip(" ,")
        if base:
            return _with_base(kind, base)
    return _with_base(CsbmTuru.SOKAK.value, text) if text else StreetName(CsbmTuru.SOKAK.value, "?", None)


def _with_base(tur: str, base: str) -> StreetName:
    """A numbered street when the base is only numbers ('36', '36.', '36. (39.)': the bracket holds
    its former number), else a named one."""
    tokens = tokenize(base)
    numbered = tokens and tokens[0].key.isdigit() and all(t.kind == "punct" or t.key.isdigit() for t in tokens)
    if numbered and tur != CsbmTuru.MEYDAN:
        return StreetName(tur, "", int(tokens[0].key))
    return StreetName(tur, base, None)


class StreetIndex:
    """Finds the register street an address string means, by key, else by name alone if unique."""

    def __init__(self, names: dict[str, StreetName]) -> None:
        self._by_key: dict[str, str] = {}
        by_base: dict[str, list[str]] = {}
        for ref, street in names.items():
            self._by_key.setdefault(street.key, ref)
            by_base.setdefault(street.base_key, []).append(ref)
        self._by_base = {base: refs[0] for base, refs in by_base.items() if len(refs) == 1}

    def find(self, written: str) -> str | None:
        street = parse_street_name(written)
        return self._by_key.get(street.key) or self._by_base.get(street.base_key)

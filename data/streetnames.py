"""Reading Turkish street names as people write them: 'Mrşl. Fevzi Çakmak Cad.', '36.Sok', '1203. Sokak'.

The register keeps a CSBM as (tür, ad) or (tür, numara); OSM and hand-written addresses carry one
free-text string. This module turns the string into the register's parts and into a matching key
that survives abbreviations, missing dots and Turkish/ASCII spelling differences."""

import re
from dataclasses import dataclass

from numarataj.models import CsbmTuru

# Suffixes at the end of a name, longest spellings first; the default for anything else is sokak.
_SUFFIXES: list[tuple[str, str]] = [
    (CsbmTuru.CADDE, r"caddesi|cadde|cad\.?|cd\.?"),
    (CsbmTuru.SOKAK, r"sokağı|sokagi|sokak|sokağ|sok\.?|sk\.?"),
    (CsbmTuru.BULVAR, r"bulvarı|bulvari|bulvar|bulv\.?|blv\.?|bl\.?"),
    (CsbmTuru.MEYDAN, r"meydanı|meydani|meydan|mey\.?|myd\.?"),
]
_SUFFIX_RE = [(tur, re.compile(rf"(?:^|(?<=[\s.\d]))(?:{alts})\s*$", re.IGNORECASE)) for tur, alts in _SUFFIXES]
# '36.', '36', '36. (39.)': a numbered street, the bracket holding its former number.
_NUMBER_RE = re.compile(r"^(\d+)\s*\.?\s*(?:\(\s*\d+\s*\.?\s*\))?$")
_ASCII = str.maketrans("çğıöşüâîûÇĞİÖŞÜÂÎÛ", "cgiosuaiuCGIOSUAIU")
# Abbreviations seen in Turkish addresses, in ASCII-folded form.
_ABBREVIATIONS = {
    "mrsl": "maresal", "msl": "maresal", "prof": "profesor", "doc": "docent", "dr": "doktor",
    "gen": "general", "org": "orgeneral", "ord": "ordinaryus", "sht": "sehit", "mah": "mahallesi",
    "mh": "mahallesi",
}


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
        return f"#{self.numara}" if self.numara is not None else fold(self.ad)


def fold(text: str) -> str:
    """Lower-case ASCII words without punctuation, brackets or abbreviations, for comparing names."""
    text = re.sub(r"\([^)]*\)", " ", text.translate(_ASCII).lower())
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def parse_street_name(name: str) -> StreetName:
    """Split 'Atatürk Caddesi' -> (cadde, 'Atatürk'), '1203. Sokak' -> (sokak, 1203).

    A name without a known suffix ('Yaya Üst Geçidi', 'Başkent Öğretmenevi') is kept whole as a
    sokak: the register has no better kind for footways and service roads."""
    text = " ".join(name.split())
    for tur, pattern in _SUFFIX_RE:
        base = pattern.sub("", text).strip(" ,")
        if base != text and base:
            return _with_base(tur, base)
    return _with_base(CsbmTuru.SOKAK, text) if text else StreetName(CsbmTuru.SOKAK, "?", None)


def _with_base(tur: str, base: str) -> StreetName:
    number = _NUMBER_RE.match(base)
    if number and tur != CsbmTuru.MEYDAN:
        return StreetName(str(tur), "", int(number.group(1)))
    return StreetName(str(tur), base, None)


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

"""Free-text Turkish address parser: "Emek Mah. 36.Sok No:30 Kat 2 D:7 Çankaya/Ankara" → parts.

The parser is keyword driven, because that is how people write addresses: a run of words ends
with what it is ("... Mah.", "... Cad.", "... Sk."), and numbers are announced ("No:", "Kat",
"D:", "İç Kapı"). It works on Turkish-folded, diacritic-free keys (see ``geo.text``), so
"KAZAKİSTAN CADDESİ", "kazakistan cd" and "Kazakistan Cad." parse alike. It never touches the
database; the matcher decides what the words mean against the register.

Rules chosen where writers disagree:
- a number right before a street kind is the street's number ("1203 Sk", "36.Sok"); a number
  after "No" (or a bare number when no door was given yet) is the door;
- "6/B", "9/G", "23A" are one door with a letter (key "6B"); "5/7" is door 5, iç kapı 7;
- "41 D-C": door 41 and iç kapı C ("D" is daire/dükkân, the dash a separator like ":");
- "L1 Blok 23A": blok L1, door 23A; "... Apt." / "Apartmanı" / "Sitesi" names a building and is
  set aside; a five-digit number is a postcode;
- a trailing "İlçe/İl" ("Çankaya/Ankara"), or trailing words that are known place names, are
  the district and city;
- words in no keyword run ("36.Sok no 30 Emek") are kept as ``extras``: the matcher tries them
  as a mahalle, and as the street when no street kind was written ("Kazakistan 41");
- parenthesised numbers in a name are alternative (old) numbers: "Azerbaycan (3.) Caddesi".
"""

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from rapidfuzz.distance import OSA

from geo.errors import InvalidInput
from geo.text import ascii_key, clean_spaces, turkish_lower

MAX_LENGTH = 500

MAHALLE_WORDS = {"mahallesi", "mahalle", "mahalesi", "mah", "mh", "mahl"}
KIND_WORDS = {
    "caddesi": "cadde", "cadde": "cadde", "cad": "cadde", "cd": "cadde", "cadd": "cadde", "cadesi": "cadde",
    "sokak": "sokak", "sokagi": "sokak", "sok": "sokak", "sk": "sokak", "sokaği": "sokak",
    "bulvari": "bulvar", "bulvar": "bulvar", "bulv": "bulvar", "blv": "bulvar", "bul": "bulvar",
    "meydani": "meydan", "meydan": "meydan", "mey": "meydan", "myd": "meydan", "kumeevleri": "kume_evler",
}
KIND_SPELLINGS = ("sokak", "sokagi", "caddesi", "cadde", "bulvari", "meydani")  # typo-tolerant forms
KUME_WORDS = {"kume"}  # "Küme Evleri": two words
EVLER_WORDS = {"evleri", "evler"}
DOOR_WORDS = {"no", "numara", "nu"}
IGNORED_WORDS = {"nolu", "numarali"}
KAT_WORDS = {"kat", "k"}
UNIT_WORDS = {"d", "daire", "dair", "dükkan", "dukkan", "bb"}
BLOK_WORDS = {"blok", "blk", "blogu"}
BUILDING_WORDS = {"apt", "apartmani", "apartman", "sitesi", "plaza", "ishani", "pasaji"}
# Title abbreviations that appear inside street names; expanded on both sides of a comparison.
NAME_ABBREVIATIONS = {
    "mrsl": "maresal", "msl": "maresal", "mar": "maresal", "ord": "ordinaryus", "prof": "profesor",
    "dr": "doktor", "doc": "docent", "av": "avukat", "sht": "sehit", "org": "orgeneral", "gen": "general",
    "alb": "albay", "yzb": "yuzbasi", "ogr": "ogretmen", "ogrt": "ogretmen", "hz": "hazreti", "cum": "cumhuriyet",
}
SEPARATORS = {",", ";", "|", "/", "-", "–", "—"}

_TAGS = re.compile(r"<[^>]{0,200}>")
_TOKEN = re.compile(
    r"(?P<num>\d+(?:[^\W\d_](?![^\W\d_]))?(?:/(?:\d+|[^\W\d_](?![^\W\d_])))?)"
    r"|(?P<word>[^\W\d_]+\d*)"
    r"|(?P<punct>[,;:|/()\-–—])"
)
_KEYWORD_NUMBER = re.compile(r"^(no|d|k)(\d+)$")
_DOOR = re.compile(r"^(\d+)([a-z]?)(?:/(\d+|[a-z]))?$")
_TRAILING_PLACE = re.compile(r"[\s,]([^\W\d_][^\W\d_ ]*)\s*/\s*([^\W\d_][^\W\d_ ]*)\s*\.?\s*$")


@dataclass(frozen=True)
class Token:
    kind: str  # num | word | punct
    text: str  # Turkish-folded, as written
    key: str  # diacritic-free key


@dataclass(frozen=True)
class StreetPart:
    """A street as written: a name key ("maresal fevzi cakmak") or a number, and maybe a kind."""

    text: str
    name_key: str = ""
    number: int | None = None
    alt_numbers: tuple[int, ...] = ()
    kind: str | None = None


@dataclass
class ParsedAddress:
    raw: str
    mahalle: str | None = None
    streets: list[StreetPart] = field(default_factory=list)
    door: str | None = None  # door key: "41", "6B", "23A"
    door_text: str | None = None  # as written: "6/b"
    kat: str | None = None
    unit: str | None = None  # iç kapı key: "7", "C"
    blok: str | None = None
    building: str | None = None
    postcode: str | None = None
    ilce: str | None = None
    il: str | None = None
    extras: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("raw")
        return {k: v for k, v in data.items() if v not in (None, [], "")}


@lru_cache(maxsize=4096)
def street_kind(word: str) -> str | None:
    """The kind a street word names, tolerating one slip in a long spelling ("soak", "caddeesi")."""
    if word in KIND_WORDS:
        return KIND_WORDS[word]
    if len(word) < 4 or not word.isalpha():
        return None
    for full in KIND_SPELLINGS:
        slips = 1 if len(full) < 7 else 2
        if OSA.distance(word, full, score_cutoff=slips) <= slips:
            return KIND_WORDS[full]
    return None


def door_key(value: str) -> tuple[str, int, str | None] | None:
    """("6/B" → "6B", 6, None), ("5/7" → "5", 5, "7"), ("23a" → "23A", 23, None); None if no number."""
    m = _DOOR.match(ascii_key(value).replace(" ", ""))
    if not m:
        return None
    base, letter, after = m.groups()
    unit = None
    if after and after.isdigit():
        unit = after
    elif after:
        letter = letter or after
    return f"{int(base)}{letter.upper()}", int(base), unit


def tokenize(text: str) -> list[Token]:
    """Split folded text into numbers (with door letters), words and separators; dots vanish."""
    tokens: list[Token] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "punct"
        value = m.group()
        split = _KEYWORD_NUMBER.match(ascii_key(value)) if kind == "word" else None
        if split:  # "no41", "d7", "k2"
            tokens.append(Token("word", split.group(1), split.group(1)))
            tokens.append(Token("num", split.group(2), split.group(2)))
        else:
            tokens.append(Token(kind, value, ascii_key(value)))
    return tokens


def name_key(words: list[str]) -> str:
    """Join name words into a comparable key, expanding title abbreviations ("mrsl" → "maresal")."""
    return " ".join(NAME_ABBREVIATIONS.get(w, w) for w in words)


def street_part(tokens: list[Token], kind: str | None, alt: list[int], written: str = "") -> StreetPart:
    """A street from its run of tokens: all-number runs are numbered streets ("1203", "36")."""
    words = [t.key for t in tokens if t.kind == "word"]
    numbers = [int(t.key) for t in tokens if t.kind == "num" and t.key.isdigit()]
    text = " ".join(t.text for t in tokens) + (f" {written}" if written else "")
    if not words and numbers:
        return StreetPart(text, "", numbers[0], tuple(numbers[1:] + alt), kind)
    return StreetPart(text, name_key(words), None, tuple(alt), kind)


def street_key(name: str) -> StreetPart:
    """Parse a register street name without its kind ("Azerbaycan (3.)", "36", "Mrşl. Fevzi Çakmak")."""
    tokens = tokenize(turkish_lower(name))
    depth, run = 0, []
    for t in tokens:
        depth += (t.text == "(") - (t.text == ")")
        if depth == 0 and t.kind != "punct":
            run.append(t)
    return street_part(run, None, _paren_numbers(tokens))


def _paren_numbers(tokens: list[Token]) -> list[int]:
    found, depth = [], 0
    for t in tokens:
        depth += t.text == "("
        depth -= t.text == ")"
        if depth > 0 and t.kind == "num" and t.key.isdigit():
            found.append(int(t.key))
    return found


def check_length(text: str) -> str:
    """The text stripped, or InvalidInput for an empty or over-long address (checked before any work)."""
    if len(text) > MAX_LENGTH:
        raise InvalidInput(f"adres çok uzun: {len(text)} karakter (en çok {MAX_LENGTH})", reason_code="too_long")
    text = text.strip()
    if not text:
        raise InvalidInput("boş adres", reason_code="empty")
    return text


class _Parser:
    """One pass over the tokens; ``run`` collects words until a keyword says what they were."""

    def __init__(self, tokens: list[Token], result: ParsedAddress) -> None:
        self.t, self.i, self.p = tokens, 0, result
        self.run: list[Token] = []
        self.alt: list[int] = []

    def at(self, j: int) -> Token | None:
        return self.t[j] if j < len(self.t) else None

    def next_index(self, skip_seps: bool = True, skip_parens: bool = False) -> int:
        """Index of the next meaningful token after the current one (may be past the end)."""
        j = self.i + 1
        while j < len(self.t):
            if skip_seps and self.t[j].text in {":", "-"}:
                j += 1
            elif skip_parens and self.t[j].text == "(":
                while j < len(self.t) and self.t[j].text != ")":
                    j += 1
                j += 1
            else:
                break
        return j

    def take_value(self, letters: bool) -> Token | None:
        """The value after a keyword ("No: 41", "D-C", "Kat 2"), skipping ':' and '-'."""
        j = self.next_index()
        nxt = self.at(j)
        if nxt and (nxt.kind == "num" or (letters and nxt.kind == "word" and len(nxt.key) <= 2)):
            self.i = j
            return nxt
        return None

    def flush(self) -> None:
        if any(t.kind == "word" for t in self.run):
            self.p.extras.append(name_key([t.key for t in self.run if t.kind == "word"]))
        self.run, self.alt = [], []

    def set_door(self, tok: Token) -> None:
        text = tok.text
        after, then = self.at(self.i + 1), self.at(self.i + 2)
        if after and then and after.text == "/" and (then.kind == "num" or len(then.key) == 1):
            text, self.i = f"{text}/{then.text}", self.i + 2  # "No: 6 / B"
        elif after and after.kind == "word" and len(after.key) == 1 and after.key not in {"d", "k"}:
            text, self.i = text + after.text, self.i + 1  # "No:23 A"
        parsed = door_key(text)
        if parsed is None:
            return
        self.p.door, self.p.door_text = parsed[0], text
        if parsed[2] and not self.p.unit:
            self.p.unit = parsed[2]

    def floor_follows(self) -> bool:
        """True when the "kat" after this number carries its own value ("13 Kat 4")."""
        j = self.next_index() + 1
        while j < len(self.t) and self.t[j].text in {":", "-"}:
            j += 1
        return j < len(self.t) and self.t[j].kind == "num"

    def number(self, tok: Token) -> None:
        nxt = self.at(self.next_index(skip_parens=True))
        if nxt is not None and nxt.kind == "word" and (street_kind(nxt.key) or nxt.key in KUME_WORDS):
            self.run.append(tok)  # "1203 Sk", "36. (39.) Sokak"
        elif nxt is not None and nxt.key == "kat" and not self.floor_follows():
            self.p.kat, self.i = tok.key, self.next_index()  # "3. Kat", but not "No 13 Kat 4"
        elif len(tok.key) == 5 and tok.key.isdigit():
            self.p.postcode = tok.key
        elif self.p.door is None:
            self.flush()
            self.set_door(tok)
        else:
            self.run.append(tok)

    def street_or_mahalle(self, written: str, kind: str | None) -> bool:
        """Close the current run as a street or a mahalle; False if the run was empty."""
        if not self.run:
            return False
        if kind:
            cut = len(self.run)
            while cut > 0 and self.run[cut - 1].kind == "num":
                cut -= 1
            if 0 < cut < len(self.run):  # "Emek 36 Sk": words before a street number are not its name
                words, self.run = self.run[:cut], self.run[cut:]
                self.p.extras.append(name_key([t.key for t in words if t.kind == "word"]))
            self.p.streets.append(street_part(self.run, kind, self.alt, written))
        else:
            self.p.mahalle = name_key([t.key for t in self.run if t.kind == "word"]) or None
        self.run, self.alt = [], []
        return True

    def word(self, tok: Token) -> None:
        k, p = tok.key, self.p
        nxt = self.at(self.i + 1)
        nkey = nxt.key if nxt is not None else ""
        kind, written = (street_kind(k) if self.run else KIND_WORDS.get(k)), tok.text
        if k in KUME_WORDS and nkey in EVLER_WORDS:
            kind, written, self.i = "kume_evler", f"{tok.text} {nxt.text}", self.i + 1
        if kind and self.street_or_mahalle(written, kind):
            return
        if k in MAHALLE_WORDS:
            self.street_or_mahalle(written, None)
        elif k in IGNORED_WORDS or (k in {"kapi", "dis"} and nkey in {"no", "kapi"}):
            pass  # "kapı no", "dış kapı no": the "no" that follows takes the value
        elif k in DOOR_WORDS:
            value = self.take_value(letters=False)
            if value is not None:
                self.flush()
                self.set_door(value)
        elif k == "ic" and nkey == "kapi":
            self.i += 2 if (self.at(self.i + 2) is not None and self.t[self.i + 2].key == "no") else 1
            value = self.take_value(letters=True)
            p.unit = value.key.upper() if value else p.unit
        elif k in KAT_WORDS and (k == "kat" or nkey in {":", "-"}):
            value = self.take_value(letters=True)
            p.kat = value.key if value else p.kat
        elif k in UNIT_WORDS and (k != "d" or nkey in {":", "-"} or (nxt is not None and nxt.kind == "num")):
            value = self.take_value(letters=True)
            p.unit = value.key.upper() if value else p.unit
        elif k in BLOK_WORDS:
            value = self.run.pop() if self.run else self.take_value(letters=True)
            p.blok = value.text.upper() if value else None
        elif k in BUILDING_WORDS and self.run:
            p.building = " ".join(t.text for t in self.run)
            self.run, self.alt = [], []
        else:
            self.run.append(tok)

    def parse(self) -> None:
        while self.i < len(self.t):
            tok = self.t[self.i]
            if tok.text == "(":
                close = next((j for j in range(self.i, len(self.t)) if self.t[j].text == ")"), len(self.t))
                self.alt += _paren_numbers(self.t[self.i:close + 1])
                self.i = close
            elif tok.kind == "punct":
                if tok.text in SEPARATORS:
                    self.flush()
            elif tok.kind == "num":
                self.number(tok)
            else:
                self.word(tok)
            self.i += 1
        self.flush()


def parse_address(text: str, places: frozenset[str] = frozenset()) -> ParsedAddress:
    """Parse one address. ``places`` holds ascii keys of district/city names to strip at the end."""
    text = check_length(text)
    result = ParsedAddress(raw=text)
    text = clean_spaces(_TAGS.sub(" ", text).replace("<", " ").replace(">", " "))
    m = _TRAILING_PLACE.search(" " + text)
    if m and not {ascii_key(m.group(1)), ascii_key(m.group(2))} & (KIND_WORDS.keys() | MAHALLE_WORDS):
        result.ilce, result.il = m.group(1), m.group(2)
        text = (" " + text)[: m.start()].strip()
    tokens = tokenize(turkish_lower(text))
    trailing: list[str] = []
    while len(tokens) > 1 and (tokens[-1].kind == "punct" or tokens[-1].key in places):
        last = tokens.pop()
        if last.kind == "word":
            trailing.insert(0, last.text)
    if trailing:  # "... Çankaya Ankara": the last known place is the city when no "İlçe/İl" was written
        result.il = result.il or trailing[-1]
        result.ilce = result.ilce or (trailing[-2] if len(trailing) > 1 else None)
    _Parser(tokens, result).parse()
    return result

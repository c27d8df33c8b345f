"""Turkish text, written once: case rules, folding for matching, and yes/no words.

Python's ``str.lower()`` and ``str.upper()`` are locale-blind: "I".lower() is "i" (Turkish wants
"ı"), "İ".lower() is "i" + U+0307 COMBINING DOT ABOVE, and "i".upper() is "I" (Turkish wants "İ").
So "IŞIK".lower() != "ışık" and a column named "İLÇE" becomes "i̇lçe". Every Kent module that
lower-cases, upper-cases or compares Turkish text goes through here: the importer (column names,
yes/no values), the address matcher and parser, street naming, the catalogue search, the city
guide's index. CQL2 ``CASEI`` does the same in SQL (``ogc/cql.py``, ``SQL_TURKISH_I``).

``ascii_key`` goes one step further and drops diacritics (ç→c, ğ→g, ı→i, ö→o, ş→s, ü→u, â/î/û),
because people type "Ataturk Cad" and "cicek sok": comparing these keys makes a missing
diacritic cost nothing, while the folded form is kept for display.
"""

import re
import unicodedata

_LOWER_I = str.maketrans({"I": "ı", "İ": "i"})
_UPPER_I = str.maketrans({"i": "İ", "ı": "I"})
_DIACRITICS = str.maketrans({"ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u",
                             "â": "a", "î": "i", "û": "u"})
_APOSTROPHES = re.compile(r"[’'`´‘]")
_SPACES = re.compile(r"\s+")

# The SQL twin of the I/İ rule: translate(x, SQL_TURKISH_I) before lower(), as turkish_lower does.
SQL_TURKISH_I = ("Iİ", "ıi")

# Yes/no as Turkish files and forms write them, compared on their ascii_key: "HAYIR", "Hayır" and
# "hayir" are one word. One table for the importer, forms and anything else that reads a boolean.
TRUE_WORDS = frozenset({"evet", "e", "dogru", "var", "true", "yes", "1"})
FALSE_WORDS = frozenset({"hayir", "h", "yanlis", "yok", "false", "no", "0"})
BOOLEAN_WORDS = TRUE_WORDS | FALSE_WORDS


def turkish_lower(text: str) -> str:
    """Lower case with Turkish rules: I→ı, İ→i (composed first, so "I"+U+0307 counts as İ)."""
    return unicodedata.normalize("NFC", text).translate(_LOWER_I).lower()


def turkish_upper(text: str) -> str:
    """Upper case with Turkish rules: 'istiklal' → 'İSTİKLAL', 'ılıca' → 'ILICA'."""
    return unicodedata.normalize("NFC", text).translate(_UPPER_I).upper()


def fold(text: str) -> str:
    """Turkish lower case with runs of whitespace collapsed: the key for exact-name comparisons
    ("Atatürk  CADDESİ" and "atatürk caddesi" are one name; diacritics still count)."""
    return " ".join(turkish_lower(text).split())


def strip_marks(text: str) -> str:
    """Remove the diacritics that are not Turkish letters (é, ä…) by dropping combining marks."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def ascii_key(text: str) -> str:
    """A diacritic-insensitive, case-insensitive key: "Çiçek Sokağı" → "cicek sokagi"."""
    folded = turkish_lower(text).translate(_DIACRITICS)
    if not folded.isascii():
        folded = strip_marks(folded)
    return folded


def clean_spaces(text: str) -> str:
    """Collapse runs of whitespace and drop apostrophes ("Atatürk'ün" → "Atatürkün")."""
    return _SPACES.sub(" ", _APOSTROPHES.sub("", text)).strip()


def parse_bool(value: object) -> bool | None:
    """True/False for a yes/no word in any case or spelling ("EVET", "Hayır", "YANLIŞ", "var", "1"),
    None for anything else (the caller decides whether that is an error)."""
    if isinstance(value, bool):
        return value
    key = ascii_key(str(value).strip())
    if key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS:
        return False
    return None

"""Turkish text folding for address matching.

Python's ``str.lower()`` is locale-blind: it turns "I" into "i" (Turkish wants "ı") and "İ" into
"i" + U+0307 COMBINING DOT ABOVE, so "IŞIK".lower() != "ışık" and "İSTANBUL".lower() != "istanbul".
``turkish_fold`` maps the dotted/dotless pairs first and then lowercases. ``ascii_key`` goes one
step further and drops Turkish diacritics (ç→c, ğ→g, ı→i, ö→o, ş→s, ü→u, and â/î/û), because people
type "Ataturk Cad" and "cicek sok"; the matcher compares these keys so that missing diacritics
cost nothing, and keeps the folded form for display.
"""

import re
import unicodedata

_UPPER_I = str.maketrans({"I": "ı", "İ": "i"})
_DIACRITICS = str.maketrans({"ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u",
                             "â": "a", "î": "i", "û": "u"})
_APOSTROPHES = re.compile(r"[’'`´‘]")
_SPACES = re.compile(r"\s+")


def turkish_fold(text: str) -> str:
    """Lowercase with Turkish rules: I→ı, İ→i (composed first, so "I"+U+0307 counts as İ)."""
    return unicodedata.normalize("NFC", text).translate(_UPPER_I).lower()


def strip_marks(text: str) -> str:
    """Remove the diacritics that are not Turkish letters (é, ä…) by dropping combining marks."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def ascii_key(text: str) -> str:
    """A diacritic-insensitive, case-insensitive key: "Çiçek Sokağı" → "cicek sokagi"."""
    folded = turkish_fold(text).translate(_DIACRITICS)
    if not folded.isascii():
        folded = strip_marks(folded)
    return folded


def clean_spaces(text: str) -> str:
    """Collapse runs of whitespace and drop apostrophes ("Atatürk'ün" → "Atatürkün")."""
    return _SPACES.sub(" ", _APOSTROPHES.sub("", text)).strip()

"""A declared JSON key's published schema: the type an outlet advertises, never more than that.

Keys that are not plain identifiers (they would need quoting everywhere, and no client expects
them) never leave Kent; a declared `x-kent-personal` or a personal-data name marks the entry."""

import re
from typing import Any

from .base import PERSONAL

SAFE_KEY = re.compile(r"^[^\W\d]\w{0,62}$")
JSON_KINDS = {"string", "integer", "number", "boolean", "array", "object"}

# Attribute names that are personal data in any layer, typed or not (compared case-insensitively).
PERSONAL_NAMES = frozenset({
    "tckn", "tc_kimlik_no", "tc_no", "kimlik_no", "kisi_tckn", "kisi_adi", "ad_soyad", "adi_soyadi",
    "malik", "malik_adi", "malikler", "sahip", "sahip_adi", "sahibi", "mal_sahibi", "telefon", "tel",
    "cep_telefonu", "eposta", "e_posta", "email", "konu", "talep_konusu", "basvuran", "basvuru_sahibi",
    "owner", "owner_name", "national_id", "phone", "subject",
})
PERSONAL_SUFFIXES = ("_tckn", "_telefon", "_eposta", "_email")


def is_personal(name: str) -> bool:
    low = name.lower()
    return low in PERSONAL_NAMES or low.endswith(PERSONAL_SUFFIXES)


def _enum_type(values: Any) -> str | None:
    if isinstance(values, list) and values and all(isinstance(v, str) for v in values):
        return "string"
    if isinstance(values, list) and values and all(isinstance(v, int | float) and not isinstance(v, bool)
                                                   for v in values):
        return "number"
    return None


def key_entry(name: str, spec: Any) -> dict[str, Any] | None:
    """The published schema of JSON key `name` declared as `spec`; None for a key that can never
    be published (not an identifier)."""
    if not SAFE_KEY.match(name):
        return None
    spec = spec if isinstance(spec, dict) else {}
    kind = spec.get("type") or _enum_type(spec.get("enum")) or "string"
    kind = kind[0] if isinstance(kind, list) and kind else kind
    entry: dict[str, Any] = {"type": kind if kind in JSON_KINDS else "string"}
    if spec.get("format") in {"date", "date-time"}:
        entry["format"] = spec["format"]
    if spec.get(PERSONAL) or is_personal(name):
        entry[PERSONAL] = True
    return entry

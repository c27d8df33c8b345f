"""Checks a reading against its kind's schema (smartcity.kinds / AssetKind.schema: a small
JSON-Schema subset — type, enum, minimum, maximum, required) and its dateObserved.

Attributes a schema does not declare pass through untouched (FIWARE payloads carry many);
null means "unknown" and is accepted. Booleans are not numbers, and NaN/Infinity never get
this far (the decoder refuses them)."""

from datetime import datetime, timedelta
from typing import Any

from geo.services.validation import JSON_TYPES
from smartcity.errors import ReadingRejected
from smartcity.models import DeadLetter

R = DeadLetter.Reason


def _json_type(value: Any) -> str:
    for name in ("boolean", "integer", "number", "string", "array", "object"):
        if isinstance(value, JSON_TYPES[name]) and (name == "boolean" or not isinstance(value, bool)):
            return name
    return "null" if value is None else type(value).__name__


def _problems(name: str, value: Any, spec: dict[str, Any]) -> list[str]:
    if value is None:
        return []
    expected = spec.get("type")
    if expected in JSON_TYPES:
        is_bool = isinstance(value, bool)
        if not isinstance(value, JSON_TYPES[expected]) or (is_bool and expected != "boolean"):
            return [f"{name}: {expected} bekleniyor, {_json_type(value)} geldi (expected {expected})"]
    if "enum" in spec and value not in spec["enum"]:
        allowed = ", ".join(map(str, spec["enum"]))
        return [f"{name}: '{value}' izin verilen değerlerden değil ({allowed})"]
    out = []
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in spec and value < spec["minimum"]:
            out.append(f"{name}: {value} < en az {spec['minimum']} (below minimum)")
        if "maximum" in spec and value > spec["maximum"]:
            out.append(f"{name}: {value} > en çok {spec['maximum']} (above maximum)")
    return out


def check_attributes(schema: dict[str, Any], data: dict[str, Any]) -> None:
    """Raise ReadingRejected(invalid) listing every problem, or return."""
    declared = schema.get("properties", {})
    problems = [f"{n}: eksik (missing)" for n in schema.get("required", []) if n not in data]
    for name, value in data.items():
        spec = declared.get(name)
        if spec:
            problems.extend(_problems(name, value, spec))
    if problems:
        raise ReadingRejected(R.INVALID, "Okuma şemaya uymuyor: " + "; ".join(problems), problems=problems)


def observed_at(value: Any, *, now: datetime, max_future: timedelta, max_age: timedelta) -> datetime:
    """dateObserved as an aware datetime: ISO 8601 with a time zone, not too far in the future
    (clock drift is tolerated up to max_future), not older than what Kent keeps."""
    if value is None or value == "":
        raise ReadingRejected(R.NO_TIMESTAMP, "dateObserved eksik. (dateObserved is required, ISO 8601.)")
    if not isinstance(value, str):
        raise ReadingRejected(R.BAD_TIMESTAMP, "dateObserved ISO 8601 metni olmalı. (Must be an ISO 8601 string.)")
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise ReadingRejected(R.BAD_TIMESTAMP, f"dateObserved okunamadı: '{value[:60]}'. (Not ISO 8601.)") from None
    if when.tzinfo is None:
        raise ReadingRejected(R.BAD_TIMESTAMP, "dateObserved saat dilimi içermeli (Z ya da +03:00). "
                                               "(A time zone offset is required.)")
    if when > now + max_future:
        raise ReadingRejected(R.FUTURE, f"dateObserved {when.isoformat()} ileride; sunucu saati {now.isoformat()}. "
                                        "(Timestamp is in the future.)")
    if when < now - max_age:
        raise ReadingRejected(R.TOO_OLD, f"dateObserved {when.isoformat()} saklama süresinden eski. "
                                         "(Older than the retention period.)")
    return when

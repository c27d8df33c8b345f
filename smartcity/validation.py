"""Checks a reading against its kind's schema (smartcity.kinds / AssetKind.schema) with geo's one
validator (`geo.services.schema`: type, enum, minimum/maximum, lengths, required, …), and its
dateObserved. The ingest worker holds each kind's compiled schema (ingest.directory), so a
reading costs a check, never a compilation.

Attributes a schema does not declare pass through untouched (FIWARE payloads carry many);
null means "unknown" and is accepted. Booleans are not numbers, and NaN/Infinity never get
this far (the decoder refuses them)."""

from datetime import datetime, timedelta
from typing import Any

from geo.services.schema import CompiledSchema, InvalidSchema, compiled
from smartcity.errors import ReadingRejected
from smartcity.models import DeadLetter

R = DeadLetter.Reason


def kind_checker(schema: dict[str, Any]) -> CompiledSchema:
    """A kind's compiled schema; a broken one refuses the reading (dead letter), never the worker."""
    try:
        return compiled(schema)
    except InvalidSchema as e:
        raise ReadingRejected(R.INVALID, f"Varlık türünün şeması bozuk: {e.message}") from None


def check_attributes(schema: dict[str, Any] | CompiledSchema, data: dict[str, Any]) -> None:
    """Raise ReadingRejected(invalid) naming every field at fault, or return."""
    checker = schema if isinstance(schema, CompiledSchema) else kind_checker(schema)
    problems = checker.problems(data)
    if problems:
        texts = [p.text for p in problems]
        raise ReadingRejected(R.INVALID, f"Okuma şemaya uymuyor: {'; '.join(texts)}. "
                                          "(The reading does not match its kind's schema.)", problems=texts,
                              invalid=list(dict.fromkeys(p.field for p in problems)))


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

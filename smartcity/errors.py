"""A refused reading: a domain error whose reason is a DeadLetter reason and whose HTTP status
follows from it (one table, not per-view decisions)."""

from typing import Any

from geo.errors import KentError
from smartcity.models import DeadLetter

R = DeadLetter.Reason

STATUS: dict[str, int] = {
    R.NOT_JSON: 400, R.NOT_OBJECT: 400, R.BAD_TOPIC: 400, R.TOO_LARGE: 413,
    R.UNKNOWN_DEVICE: 401, R.FORBIDDEN: 403,
    R.UNKNOWN_KIND: 422, R.UNKNOWN_ASSET: 422, R.KIND_MISMATCH: 422, R.INVALID: 422,
    R.NO_TIMESTAMP: 422, R.BAD_TIMESTAMP: 422, R.FUTURE: 422, R.TOO_OLD: 422,
    R.STORAGE: 500,
}


class ReadingRejected(KentError):
    """Raised while accepting a reading; carries the dead-letter reason as its code."""

    def __init__(self, reason: str, message: str, **detail: Any) -> None:
        super().__init__(message, **detail)
        self.reason = reason
        self.code = str(reason)
        self.status = STATUS.get(reason, 400)

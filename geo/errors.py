"""Domain errors that carry their own HTTP status and OGC-style exception code, so views map
them to responses in one place (`geo.api.responses.json_errors`) instead of inventing codes."""

from typing import Any


class KentError(Exception):
    status = 400
    code = "InvalidParameterValue"

    def __init__(self, message: str, **detail: Any) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "description": self.message}
        if self.detail:
            body["detail"] = self.detail
        return body


class InvalidInput(KentError):
    code = "InvalidInput"


class InvalidGeometry(KentError):
    code = "InvalidGeometry"


class InvalidCRS(KentError):
    code = "InvalidCRS"


class UnreadableFile(KentError):
    code = "UnreadableFile"


class NotAuthenticated(KentError):
    status = 401
    code = "NotAuthenticated"


class Forbidden(KentError):
    status = 403
    code = "Forbidden"


class NotFound(KentError):
    status = 404
    code = "NotFound"


class Conflict(KentError):
    status = 409
    code = "Conflict"


class PayloadTooLarge(KentError):
    status = 413
    code = "PayloadTooLarge"


class MethodNotAllowed(KentError):
    status = 405
    code = "MethodNotAllowed"


class PreconditionFailed(KentError):
    """An edit carried a stale version (HTTP If-Match did not match the row's ETag)."""

    status = 412
    code = "PreconditionFailed"


class PreconditionRequired(KentError):
    """An edit came without the version it edits (no If-Match), so it could overwrite silently."""

    status = 428
    code = "PreconditionRequired"


class Unavailable(KentError):
    """Briefly unable to answer (the layer registry is being rebuilt): the client should retry."""

    status = 503
    code = "ServiceUnavailable"

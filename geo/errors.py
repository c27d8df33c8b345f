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

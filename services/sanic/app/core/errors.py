"""The one domain exception hierarchy; `app.core.problems` maps it to problem+json once."""

# ruff: noqa: N818 - the names say the HTTP meaning the contract uses (NotFound, Conflict, ...)
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    location: str  # body | query | path | header
    field: str
    code: str  # required | invalid | too_short | too_long | out_of_range | unknown_field
    message: str


class DomainError(Exception):
    """Base of every expected failure; the subclass alone decides the response."""

    detail: str = ""

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or self.detail)
        if detail:
            self.detail = detail


class MalformedRequest(DomainError):
    detail = "Request body could not be parsed"


class InvalidCursor(MalformedRequest):
    detail = "Cursor is not valid"


class Unauthorized(DomainError):
    detail = "Missing or invalid bearer token"


class InvalidCredentials(Unauthorized):
    detail = "Incorrect email or password"


class Forbidden(DomainError):
    detail = "Admin role required"


class NotFound(DomainError):
    detail = "Resource not found"


class Conflict(DomainError):
    detail = "Email already registered"


class PreconditionFailed(DomainError):
    detail = "If-Match does not match the current ETag"


class PreconditionRequired(DomainError):
    detail = "If-Match header is required"


class UnsupportedMediaType(DomainError):
    detail = "Content-Type must be application/json"


class RateLimited(DomainError):
    detail = "Too many failed logins, retry later"

    def __init__(self, retry_after: int) -> None:
        super().__init__()
        self.retry_after = retry_after


class ServiceUnavailable(DomainError):
    detail = "A dependency is unavailable"


class ValidationFailed(DomainError):
    def __init__(self, errors: list[FieldError]) -> None:
        first: dict[tuple[str, str], FieldError] = {}
        for error in errors:  # one entry per field: the first rule that failed
            first.setdefault((error.location, error.field), error)
        self.errors = sorted(first.values(), key=lambda e: (e.location, e.field))
        count = len(self.errors)
        noun = "field is" if count == 1 else "fields are"
        super().__init__(f"{count} {noun} invalid")

"""The one domain exception hierarchy; core/problems.py maps it to problem+json once."""

# The names are the HTTP meanings (NotFound, Conflict, ...), not "...Error".
# ruff: noqa: N818

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

Location = Literal["body", "query", "path", "header"]
ErrorCode = Literal["required", "invalid", "too_short", "too_long", "out_of_range", "unknown_field"]


@dataclass(frozen=True, order=True)
class FieldError:
    location: Location
    field: str
    code: ErrorCode
    message: str


class DomainError(Exception):
    status: ClassVar[int] = 500
    type: ClassVar[str] = "/problems/internal-error"
    title: ClassVar[str] = "Internal server error"
    default_detail: ClassVar[str] = "An unexpected error occurred"

    def __init__(self, detail: str | None = None) -> None:
        self.detail = detail or self.default_detail
        super().__init__(self.detail)

    def headers(self) -> dict[str, str]:
        return {}


class MalformedRequest(DomainError):
    status, type, title = 400, "/problems/malformed-request", "Malformed request"
    default_detail = "Request body could not be parsed"


class InvalidCursor(MalformedRequest):
    default_detail = "Cursor is not valid"


class Unauthorized(DomainError):
    status, type, title = 401, "/problems/unauthorized", "Unauthorized"
    default_detail = "Missing or invalid bearer token"

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": "Bearer"}


class InvalidCredentials(Unauthorized):
    default_detail = "Incorrect email or password"


class Forbidden(DomainError):
    status, type, title = 403, "/problems/forbidden", "Forbidden"
    default_detail = "Admin role required"


class NotFound(DomainError):
    status, type, title = 404, "/problems/not-found", "Not found"
    default_detail = "Resource not found"


class MethodNotAllowed(DomainError):
    status, type, title = 405, "/problems/method-not-allowed", "Method not allowed"
    default_detail = "Method not allowed"

    def __init__(self, allowed: list[str]) -> None:
        super().__init__()
        self.allowed = allowed

    def headers(self) -> dict[str, str]:
        return {"Allow": ", ".join(sorted(self.allowed))}


class Conflict(DomainError):
    status, type, title = 409, "/problems/conflict", "Conflict"
    default_detail = "Email already registered"


class PreconditionFailed(DomainError):
    status, type, title = 412, "/problems/precondition-failed", "Precondition failed"
    default_detail = "If-Match does not match the current ETag"


class PayloadTooLarge(DomainError):
    status, type, title = 413, "/problems/payload-too-large", "Payload too large"
    default_detail = "Request body exceeds 65536 bytes"


class UnsupportedMediaType(DomainError):
    status, type, title = 415, "/problems/unsupported-media-type", "Unsupported media type"
    default_detail = "Content-Type must be application/json"


class UnsupportedFormMediaType(UnsupportedMediaType):
    default_detail = "Content-Type must be application/x-www-form-urlencoded"


class ValidationFailed(DomainError):
    status, type, title = 422, "/problems/validation-error", "Validation failed"

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.location, e.field))
        count = len(self.errors)
        super().__init__("1 field is invalid" if count == 1 else f"{count} fields are invalid")


class PreconditionRequired(DomainError):
    status, type, title = 428, "/problems/precondition-required", "Precondition required"
    default_detail = "If-Match header is required"


class RateLimited(DomainError):
    status, type, title = 429, "/problems/rate-limited", "Too many requests"
    default_detail = "Too many failed logins, retry later"

    def __init__(self, retry_after: int) -> None:
        super().__init__()
        self.retry_after = max(1, retry_after)

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class ServiceUnavailable(DomainError):
    status, type, title = 503, "/problems/service-unavailable", "Service unavailable"
    default_detail = "A dependency is unavailable"

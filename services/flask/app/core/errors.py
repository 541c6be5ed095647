"""Two error families, one renderer (`app.core.problems.problem_response`). No Flask here.

`DomainError`: what the service layer decides (400, 401, 403, 404, 409, 412, 422, 428, 429,
503). `HttpError`: what the transport refuses (405, 413, 415, 431); service code never raises
these. Named after the outcome (NotFound, Conflict, ...) rather than with an Error suffix, as
HTTP does.
"""

# ruff: noqa: N818

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

ErrorLocation = Literal["body", "query", "path", "header"]
ErrorCode = Literal["required", "invalid", "too_short", "too_long", "out_of_range", "unknown_field"]


@dataclass(frozen=True, order=True)
class FieldError:
    location: ErrorLocation
    field: str
    code: ErrorCode = dataclasses.field(compare=False)
    message: str = dataclasses.field(compare=False)


class Problem(Exception):
    """What both families carry: status, type, title, a default detail, and `headers()`."""

    status: int = 500
    type: str = "/problems/internal-error"
    title: str = "Internal server error"
    detail: str = "An unexpected error occurred"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or self.detail)
        if detail is not None:
            self.detail = detail

    def headers(self) -> dict[str, str]:
        return {}


class DomainError(Problem):
    """Decided by the service layer; a bare DomainError is the 500."""


class HttpError(Problem):
    """Refused by the transport (routing, body and header limits, media type)."""


class MalformedRequest(DomainError):
    status, type, title = 400, "/problems/malformed-request", "Malformed request"
    detail = "Request body could not be parsed"


class InvalidCursor(MalformedRequest):
    detail = "Cursor is not valid"


class Unauthorized(DomainError):
    status, type, title = 401, "/problems/unauthorized", "Unauthorized"
    detail = "Missing or invalid bearer token"

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": "Bearer"}


class InvalidCredentials(Unauthorized):
    detail = "Incorrect email or password"


class Forbidden(DomainError):
    status, type, title = 403, "/problems/forbidden", "Forbidden"
    detail = "Admin role required"


class NotFound(DomainError):
    status, type, title = 404, "/problems/not-found", "Not found"
    detail = "Resource not found"


class Conflict(DomainError):
    status, type, title = 409, "/problems/conflict", "Conflict"
    detail = "Email already registered"


class PreconditionFailed(DomainError):
    status, type, title = 412, "/problems/precondition-failed", "Precondition failed"
    detail = "If-Match does not match the current ETag"


class ValidationFailed(DomainError):
    status, type, title = 422, "/problems/validation-error", "Validation failed"

    def __init__(self, errors: list[FieldError]) -> None:
        # One entry per field (the first rule that failed), ordered by (in, field).
        unique: dict[tuple[str, str], FieldError] = {}
        for error in errors:
            unique.setdefault((error.location, error.field), error)
        self.errors = sorted(unique.values())
        count = len(self.errors)
        super().__init__(
            f"{count} field is invalid" if count == 1 else f"{count} fields are invalid"
        )


class PreconditionRequired(DomainError):
    status, type, title = 428, "/problems/precondition-required", "Precondition required"
    detail = "If-Match header is required"


class RateLimited(DomainError):
    status, type, title = 429, "/problems/rate-limited", "Too many requests"
    detail = "Too many failed logins, retry later"

    def __init__(self, retry_after: int) -> None:
        super().__init__()
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class ServiceUnavailable(DomainError):
    status, type, title = 503, "/problems/service-unavailable", "Service unavailable"
    detail = "A dependency is unavailable"

    def __init__(self, checks: dict[str, str] | None = None) -> None:
        super().__init__()
        self.checks = checks


# Transport errors: not DomainErrors.


class MethodNotAllowed(HttpError):
    status, type, title = 405, "/problems/method-not-allowed", "Method not allowed"
    detail = "Method not allowed"

    def __init__(self, allowed: str) -> None:
        super().__init__()
        self.allowed = allowed  # the contract's Allow value (core/contract.allow_header)

    def headers(self) -> dict[str, str]:
        return {"Allow": self.allowed}


class PayloadTooLarge(HttpError):
    status, type, title = 413, "/problems/payload-too-large", "Payload too large"
    detail = "Request body exceeds 65536 bytes"


class UnsupportedMediaType(HttpError):
    status, type, title = 415, "/problems/unsupported-media-type", "Unsupported media type"
    detail = "Content-Type must be application/json"


class HeaderFieldsTooLarge(HttpError):
    """Answered before Flask (core/header_limits.py, core/gunicorn_worker.py), never raised."""

    status, type = 431, "/problems/header-fields-too-large"
    title = "Request header fields too large"
    detail = "Request header section exceeds 100 fields or 16384 bytes"

    def headers(self) -> dict[str, str]:
        return {"Connection": "close"}


class AmbiguousHeaders(HttpError):
    """A repeated singleton field (RFC 9110 §5.3: Content-Type, Host), refused by gunicorn before
    any request exists (contract §9)."""

    status, type, title = 400, "/problems/malformed-request", "Malformed request"
    detail = "Request header fields are ambiguous"

    def headers(self) -> dict[str, str]:
        return {"Connection": "close"}

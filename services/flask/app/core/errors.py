"""Two exception families, mapped to RFC 9457 problem+json once for the whole app: `DomainError`
(raised by services and the pipeline) and `HttpError` (transport only, never raised by services)."""
# ruff: noqa: N818 - the names are the HTTP meanings the contract uses (NotFound, Conflict, ...)

from __future__ import annotations

import logging
from typing import Any, cast

from flask import Flask, Response, json, request
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from app.core.context import request_id_var

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class _Problem(Exception):
    """What both families carry: status, type, title and a default detail, on the class."""

    status = 500
    type = "/problems/internal-error"
    title = "Internal server error"
    detail = "An unexpected error occurred"
    headers: dict[str, str] = {}

    def __init__(self, detail: str | None = None, *, headers: dict[str, str] | None = None):
        super().__init__(detail or self.detail)
        if detail is not None:
            self.detail = detail
        if headers is not None:
            self.headers = headers

    def extra(self) -> dict[str, Any]:
        return {}


class DomainError(_Problem):
    """What services (and the pipeline's 400/401/422) raise; a bare one is the 500."""


class HttpError(_Problem):
    """An answer about the HTTP exchange itself (method, body size, media type)."""


class MalformedRequest(DomainError):
    status, type, title = 400, "/problems/malformed-request", "Malformed request"
    detail = "Request body could not be parsed"


class InvalidCursor(MalformedRequest):
    detail = "Cursor is not valid"


class Unauthorized(DomainError):
    status, type, title = 401, "/problems/unauthorized", "Unauthorized"
    detail = "Missing or invalid bearer token"
    headers = {"WWW-Authenticate": "Bearer"}


class InvalidCredentials(Unauthorized):
    detail = "Incorrect email or password"


class Forbidden(DomainError):
    status, type, title, detail = 403, "/problems/forbidden", "Forbidden", "Admin role required"


class NotFound(DomainError):
    status, type, title, detail = 404, "/problems/not-found", "Not found", "Resource not found"


class MethodNotAllowed(HttpError):
    status, type, title = 405, "/problems/method-not-allowed", "Method not allowed"
    detail = "Method not allowed"


class Conflict(DomainError):
    status, type, title, detail = 409, "/problems/conflict", "Conflict", "Email already registered"


class PreconditionFailed(DomainError):
    status, type, title = 412, "/problems/precondition-failed", "Precondition failed"
    detail = "If-Match does not match the current ETag"


class PayloadTooLarge(HttpError):
    status, type, title = 413, "/problems/payload-too-large", "Payload too large"
    detail = "Request body exceeds 65536 bytes"


class UnsupportedMediaType(HttpError):
    status, type, title = 415, "/problems/unsupported-media-type", "Unsupported media type"
    detail = "Content-Type must be application/json"


class ValidationFailed(DomainError):
    status, type, title = 422, "/problems/validation-error", "Validation failed"

    def __init__(self, errors: list[dict[str, str]]):
        self.errors = sorted(errors, key=lambda e: (e["in"], e["field"]))
        count = len(self.errors)
        super().__init__(
            f"{count} field is invalid" if count == 1 else f"{count} fields are invalid"
        )

    def extra(self) -> dict[str, Any]:
        return {"errors": self.errors}


class PreconditionRequired(DomainError):
    status, type, title = 428, "/problems/precondition-required", "Precondition required"
    detail = "If-Match header is required"


class RateLimited(DomainError):
    status, type, title = 429, "/problems/rate-limited", "Too many requests"
    detail = "Too many failed logins, retry later"

    def __init__(self, retry_after: int):
        super().__init__(headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after


class ServiceUnavailable(DomainError):
    status, type, title = 503, "/problems/service-unavailable", "Service unavailable"
    detail = "A dependency is unavailable"

    def __init__(self, checks: dict[str, str] | None = None):
        super().__init__()
        self.checks = checks

    def extra(self) -> dict[str, Any]:
        return {"checks": self.checks} if self.checks is not None else {}


def problem_response(error: DomainError | HttpError) -> Response:
    body = {
        "type": error.type,
        "title": error.title,
        "status": error.status,
        "detail": error.detail,
        "instance": request.path,
        "request_id": request_id_var.get(),
        **error.extra(),
    }
    response = Response(json.dumps(body), status=error.status, mimetype=PROBLEM_JSON)
    response.headers.update(error.headers)
    return response


_HTTP_TO_PROBLEM: dict[int, type[DomainError | HttpError]] = {
    400: MalformedRequest,
    404: NotFound,
    405: MethodNotAllowed,
    413: PayloadTooLarge,
    415: UnsupportedMediaType,
}


def _handle_problem(error: DomainError | HttpError) -> Response:
    return problem_response(error)


def _handle_http(error: HTTPException) -> Response:
    if error.response is not None:
        return cast(Response, error.response)
    problem = _HTTP_TO_PROBLEM.get(error.code or 500)
    if problem is None:
        log.error("unmapped HTTP error %s", error.code)
        return problem_response(DomainError())
    response = problem_response(problem())
    if error.code == 405:
        allowed = getattr(error, "valid_methods", None) or []
        response.headers["Allow"] = allow_header(allowed)
    return response


def allow_header(methods: Any) -> str:
    return ", ".join(sorted({m.upper() for m in methods} - {"HEAD", "OPTIONS"}))


def _handle_database(error: Exception) -> Response:
    log.error("database unavailable: %s", type(error).__name__, exc_info=error)
    return problem_response(ServiceUnavailable())


def _handle_unexpected(error: Exception) -> Response:
    log.error("unhandled error", exc_info=error)
    return problem_response(DomainError())


def init_app(app: Flask) -> None:
    app.register_error_handler(DomainError, _handle_problem)
    app.register_error_handler(HttpError, _handle_problem)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(OperationalError, _handle_database)
    app.register_error_handler(PoolTimeout, _handle_database)
    app.register_error_handler(DBAPIError, _handle_database_or_bug)
    app.register_error_handler(Exception, _handle_unexpected)


def _handle_database_or_bug(error: DBAPIError) -> Response:
    if error.connection_invalidated:
        return _handle_database(error)
    return _handle_unexpected(error)

"""RFC 9457 problem+json for every error: the domain hierarchy and Sanic's own exceptions."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from sanic import Request
from sanic.exceptions import (
    BadRequest,
    MethodNotAllowed,
    PayloadTooLarge,
    SanicException,
)
from sanic.exceptions import NotFound as SanicNotFound
from sanic.handlers import ErrorHandler
from sanic.response import HTTPResponse, json
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.core import errors
from app.core.context import AppRequest, valid_request_id
from app.core.header_limits import DETAIL, is_header_flood

log = logging.getLogger("app.errors")
PROBLEM_JSON = "application/problem+json"
MAX_BODY_BYTES = 65536  # the contract's limit, checked by app.core.http
# Sanic's REQUEST_MAX_SIZE is only the hard cap: past it Sanic drops the connection unread, so a
# client still sending sees a reset instead of the 413; below it the body is drained first.
HARD_BODY_CAP = 1024 * 1024

# status, type slug, title; checked in order, so subclasses come before their bases.
DOMAIN_PROBLEMS: list[tuple[type[errors.DomainError], int, str, str]] = [
    (errors.MalformedRequest, 400, "malformed-request", "Malformed request"),
    (errors.Unauthorized, 401, "unauthorized", "Unauthorized"),
    (errors.Forbidden, 403, "forbidden", "Forbidden"),
    (errors.NotFound, 404, "not-found", "Not found"),
    (errors.Conflict, 409, "conflict", "Conflict"),
    (errors.PreconditionFailed, 412, "precondition-failed", "Precondition failed"),
    (errors.UnsupportedMediaType, 415, "unsupported-media-type", "Unsupported media type"),
    (errors.ValidationFailed, 422, "validation-error", "Validation failed"),
    (errors.PreconditionRequired, 428, "precondition-required", "Precondition required"),
    (errors.RateLimited, 429, "rate-limited", "Too many requests"),
    (errors.ServiceUnavailable, 503, "service-unavailable", "Service unavailable"),
]
DB_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout, ConnectionError, TimeoutError)


def request_id_of(request: Request | None) -> str:
    if isinstance(request, AppRequest):
        return request.request_id
    return valid_request_id(None)


def problem(
    request: Request,
    status: int,
    slug: str,
    title: str,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
    instance: str | None = None,
    **extra: Any,
) -> HTTPResponse:
    body = {
        "type": f"/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path if instance is None else instance,
        "request_id": request_id_of(request),
        **extra,
    }
    return json(body, status=status, headers=headers, content_type=PROBLEM_JSON)


def domain_problem(request: Request, exc: errors.DomainError) -> HTTPResponse:
    status, slug, title = next(
        (status, slug, title)
        for cls, status, slug, title in DOMAIN_PROBLEMS
        if isinstance(exc, cls)
    )
    headers: dict[str, str] = {}
    extra: dict[str, Any] = {}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, errors.RateLimited):
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, errors.ValidationFailed):
        extra["errors"] = [
            {"in": e.location, "field": e.field, "code": e.code, "message": e.message}
            for e in exc.errors
        ]
    return problem(request, status, slug, title, exc.detail, headers=headers, **extra)


ROUTABLE_METHODS = ("DELETE", "GET", "PATCH", "POST", "PUT")


def allowed_methods(request: Request) -> list[str]:
    """The methods the router accepts for this path (Sanic leaves them out for dynamic routes)."""
    host = request.headers.getone("host", None)
    allowed = []
    for method in ROUTABLE_METHODS:
        try:
            request.app.router.get(request.path, method, host)
        except (MethodNotAllowed, SanicNotFound):
            continue
        allowed.append(method)
    return allowed


class ProblemErrorHandler(ErrorHandler):
    """Sanic's error handler, answering every exception with problem+json."""

    def default(self, request: Request, exception: Exception) -> HTTPResponse:
        if is_header_flood(request, exception):
            # Refused before routing (contract §3): there is no routed path to name.
            title = "Request header fields too large"
            return problem(request, 431, "header-fields-too-large", title, DETAIL, instance="")
        if isinstance(exception, errors.DomainError):
            return domain_problem(request, exception)
        if isinstance(exception, MethodNotAllowed) and request.path.endswith("/"):
            # Sanic's router ignores a trailing slash when it checks the method; no route of
            # this API ends in "/", so such a path is unknown (contract §1: no redirects, 404).
            return domain_problem(request, errors.NotFound())
        if isinstance(exception, MethodNotAllowed):
            allow = ", ".join(allowed_methods(request))
            return problem(
                request,
                405,
                "method-not-allowed",
                "Method not allowed",
                "Method not allowed",
                headers={"Allow": allow},
            )
        if isinstance(exception, SanicNotFound):
            return domain_problem(request, errors.NotFound())
        if isinstance(exception, PayloadTooLarge):
            return problem(
                request,
                413,
                "payload-too-large",
                "Payload too large",
                f"Request body exceeds {MAX_BODY_BYTES} bytes",
            )
        if isinstance(exception, BadRequest):
            return domain_problem(request, errors.MalformedRequest())
        if isinstance(exception, DB_UNAVAILABLE) or (
            isinstance(exception, DBAPIError) and exception.connection_invalidated
        ):
            log.warning("database unavailable: %s", exception.__class__.__name__)
            return domain_problem(request, errors.ServiceUnavailable())
        if isinstance(exception, SanicException) and 400 <= exception.status_code < 500:
            status = HTTPStatus(exception.status_code)
            slug = status.phrase.lower().replace(" ", "-")
            return problem(request, status.value, slug, status.phrase, status.phrase)
        log.error("unhandled error on %s %s", request.method, request.path, exc_info=exception)
        return problem(
            request, 500, "internal-error", "Internal server error", "An unexpected error occurred"
        )

    @staticmethod
    def log(request: Request, exception: Exception) -> None:
        """Logging happens in `default`: expected errors are not tracebacks."""

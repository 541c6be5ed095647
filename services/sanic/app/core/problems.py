"""RFC 9457 problem+json for every error: both error families and Sanic's own exceptions."""

from __future__ import annotations

import logging
from http import HTTPStatus

from sanic import Request
from sanic.exceptions import BadRequest, MethodNotAllowed, SanicException
from sanic.exceptions import NotFound as SanicNotFound
from sanic.exceptions import PayloadTooLarge as SanicPayloadTooLarge
from sanic.handlers import ErrorHandler
from sanic.response import HTTPResponse, json
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.core import errors
from app.core.context import AppRequest, request_id_from
from app.core.contract import PROBLEM_MEDIA_TYPE, allow_header, problem_body

log = logging.getLogger("app.errors")
# Sanic's REQUEST_MAX_SIZE is only the hard cap: past it Sanic drops the connection unread, so a
# client still sending sees a reset instead of the 413; below it the body is drained first.
HARD_BODY_CAP = 1024 * 1024
DB_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout, ConnectionError, TimeoutError)
ROUTABLE_METHODS = ("DELETE", "GET", "PATCH", "POST", "PUT")


def request_id_of(request: Request | None) -> str:
    if isinstance(request, AppRequest):
        return request.request_id
    return request_id_from(None)


def problem_response(
    request: Request, error: errors.Problem, *, instance: str | None = None
) -> HTTPResponse:
    """The one renderer for both families (DomainError and HttpError)."""
    body = problem_body(
        error, request.path if instance is None else instance, request_id_of(request)
    )
    return json(body, status=error.status, headers=error.headers(), content_type=PROBLEM_MEDIA_TYPE)


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


def is_header_flood(request: Request, exception: Exception) -> bool:
    """Ours, or Sanic's PayloadTooLarge for the head: a body too large is raised on the parsed
    request, a head too large on the stand-in Sanic makes to answer it, which has no head."""
    if isinstance(exception, errors.HeaderFieldsTooLarge):
        return True
    return isinstance(exception, SanicPayloadTooLarge) and not request.head


def as_problem(request: Request, exception: Exception) -> errors.Problem | None:
    """The problem an expected exception stands for; None for a bug (500, logged)."""
    if isinstance(exception, errors.Problem):
        return exception
    if isinstance(exception, MethodNotAllowed):
        if request.path.endswith("/"):
            # Sanic's router ignores a trailing slash when it checks the method; no route of
            # this API ends in "/", so such a path is unknown (contract §1: no redirects, 404).
            return errors.NotFound()
        return errors.MethodNotAllowed(allow_header(allowed_methods(request)))
    if isinstance(exception, SanicNotFound):
        return errors.NotFound()
    if isinstance(exception, SanicPayloadTooLarge):
        return errors.PayloadTooLarge()
    if isinstance(exception, BadRequest):
        return errors.MalformedRequest()
    if isinstance(exception, DB_UNAVAILABLE) or (
        isinstance(exception, DBAPIError) and exception.connection_invalidated
    ):
        log.warning("database unavailable: %s", exception.__class__.__name__)
        return errors.ServiceUnavailable()
    if isinstance(exception, SanicException) and 400 <= exception.status_code < 500:
        status = HTTPStatus(exception.status_code)
        error = errors.HttpError(status.phrase)
        error.status, error.title = status.value, status.phrase
        error.type = f"/problems/{status.phrase.lower().replace(' ', '-')}"
        return error
    return None


class ProblemErrorHandler(ErrorHandler):
    """Sanic's error handler, answering every exception with problem+json."""

    def default(self, request: Request, exception: Exception) -> HTTPResponse:
        if is_header_flood(request, exception):
            # Refused before routing (contract §3): there is no routed path to name.
            return problem_response(request, errors.HeaderFieldsTooLarge(), instance="")
        if isinstance(exception, errors.AmbiguousHeaders):
            return problem_response(request, exception, instance="")
        error = as_problem(request, exception)
        if error is None:
            log.error("unhandled error on %s %s", request.method, request.path, exc_info=exception)
            error = errors.DomainError()
        return problem_response(request, error)

    @staticmethod
    def log(request: Request, exception: Exception) -> None:
        """Logging happens in `default`: expected errors are not tracebacks."""

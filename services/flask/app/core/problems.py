"""The Flask adapter of core/errors.py: every failure becomes the contract's problem+json."""

from __future__ import annotations

import logging

from flask import Flask, Response, json
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from app.core.context import request_id_var
from app.core.contract import PROBLEM_MEDIA_TYPE, allow_header, problem_body
from app.core.errors import (
    DomainError,
    HttpError,
    MalformedRequest,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    Problem,
    ServiceUnavailable,
    UnsupportedMediaType,
)
from app.core.requests import request_path

log = logging.getLogger(__name__)


def problem_response(error: Problem) -> Response:
    body = problem_body(error, request_path(), request_id_var.get())
    response = Response(json.dumps(body), status=error.status, mimetype=PROBLEM_MEDIA_TYPE)
    response.headers.update(error.headers())
    return response


_HTTP_TO_PROBLEM: dict[int, type[Problem]] = {
    400: MalformedRequest,
    404: NotFound,
    413: PayloadTooLarge,
    415: UnsupportedMediaType,
}


def _handle_problem(error: Problem) -> Response:
    return problem_response(error)


def _handle_http(error: HTTPException) -> Response:
    """Werkzeug's own refusals (routing, body size) as problems; its 405 names the `Allow`."""
    if error.response is not None:
        return error.response  # type: ignore[return-value]
    if error.code == 405:
        allowed = getattr(error, "valid_methods", None) or []
        return problem_response(MethodNotAllowed(allow_header(allowed)))
    problem = _HTTP_TO_PROBLEM.get(error.code or 500)
    if problem is None:
        log.error("unmapped HTTP error %s", error.code)
        return problem_response(DomainError())
    return problem_response(problem())


def _handle_database(error: Exception) -> Response:
    log.error("database unavailable: %s", type(error).__name__, exc_info=error)
    return problem_response(ServiceUnavailable())


def _handle_database_or_bug(error: DBAPIError) -> Response:
    if error.connection_invalidated:
        return _handle_database(error)
    return _handle_unexpected(error)


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

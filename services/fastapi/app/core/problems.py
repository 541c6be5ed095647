"""RFC 9457 problem+json: every error the service answers is built here, once."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.context import request_id_var
from app.core.contract import PROBLEM_MEDIA_TYPE, problem_body, standard_headers
from app.core.cors import unhandled_error_cors_headers
from app.core.errors import (
    DomainError,
    HttpError,
    MethodNotAllowed,
    NotFound,
    Problem,
    ServiceUnavailable,
    ValidationFailed,
)
from app.core.routing import allowed_methods
from app.core.validation import field_errors_from_pydantic

log = logging.getLogger(__name__)


def problem_response(
    request: Request, error: Problem, *, extra: dict[str, Any] | None = None
) -> JSONResponse:
    """The one renderer for both families (DomainError and HttpError). `instance` is the
    percent-decoded path (contract §2); Starlette's `request.url.path` would re-encode a `?`."""
    body = problem_body(error, request.scope["path"], request_id_var.get() or "")
    if extra:
        body.update(extra)
    return JSONResponse(
        body, status_code=error.status, headers=error.headers(), media_type=PROBLEM_MEDIA_TYPE
    )


async def problem_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return problem_response(request, exc)


async def http_exception_handler(request: Request, exc: Exception) -> JSONResponse:
    """Starlette's own 404 (no route) and 405 (route, wrong method)."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 405:
        return problem_response(
            request, MethodNotAllowed(allowed_methods(request.app, request.scope["path"]))
        )
    if exc.status_code == 404:
        return problem_response(request, NotFound())
    log.error("unexpected HTTPException %s", exc.status_code)
    return problem_response(request, DomainError())


async def request_validation_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return problem_response(request, ValidationFailed(field_errors_from_pydantic(exc.errors())))


async def database_unavailable_handler(request: Request, exc: Exception) -> JSONResponse:
    log.error("database unavailable: %s", type(exc).__name__, exc_info=exc)
    return problem_response(request, ServiceUnavailable())


async def internal_error_handler(request: Request, exc: Exception) -> JSONResponse:
    # Runs in Starlette's outermost ServerErrorMiddleware, outside our header and CORS
    # middleware, so it stamps their headers itself. The traceback goes to the log only.
    log.error("unhandled exception", exc_info=exc)
    response = problem_response(request, DomainError())
    response.headers.update(standard_headers(request.scope["path"], request_id_var.get() or ""))
    response.headers.update(unhandled_error_cors_headers(request))
    return response


def register_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, problem_handler)
    app.add_exception_handler(HttpError, problem_handler)
    app.add_exception_handler(StarletteHTTPException, http_exception_handler)
    app.add_exception_handler(RequestValidationError, request_validation_handler)
    app.add_exception_handler(OperationalError, database_unavailable_handler)
    app.add_exception_handler(DBAPIError, _dbapi_error_handler)
    app.add_exception_handler(ConnectionError, database_unavailable_handler)
    app.add_exception_handler(TimeoutError, database_unavailable_handler)
    app.add_exception_handler(PoolTimeoutError, database_unavailable_handler)
    app.add_exception_handler(Exception, internal_error_handler)


async def _dbapi_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DBAPIError)
    if exc.connection_invalidated:
        return await database_unavailable_handler(request, exc)
    return await internal_error_handler(request, exc)

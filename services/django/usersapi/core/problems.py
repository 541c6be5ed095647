"""problem+json (RFC 9457) for every error: DRF's exception handler and Django's own handlers."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import unquote, urlsplit

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from rest_framework import exceptions as drf

from usersapi.core import errors
from usersapi.core.context import request_id_var
from usersapi.core.contract import PROBLEM_MEDIA_TYPE, allow_header, problem_body
from usersapi.core.validation import field_errors

log = logging.getLogger(__name__)


def request_path(request: HttpRequest) -> str:
    """The decoded path, bytes that are not UTF-8 as U+FFFD (contract §9). Django's own
    `request.path` percent-encodes such bytes again, so decode gunicorn's RAW_URI when there
    is one."""
    raw = request.META.get("RAW_URI", "")
    if not raw:
        return request.path
    path = raw.split("?", 1)[0] if raw.startswith("/") else urlsplit(raw).path
    return unquote(path, errors="replace")


def problem_response(error: errors.Problem, request: HttpRequest) -> HttpResponse:
    """The one renderer for both families (DomainError and HttpError)."""
    body = problem_body(error, request_path(request), request_id_var.get())
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=error.status, content_type=PROBLEM_MEDIA_TYPE
    )
    for name, value in error.headers().items():
        response[name] = value
    return response


def to_problem(exc: BaseException, allowed: list[str] | None = None) -> errors.Problem:
    """The problem an exception stands for; unexpected ones become a logged 500."""
    match exc:
        case errors.Problem():
            return exc
        case drf.ValidationError():
            # A view written the DRF way (`is_valid(raise_exception=True)`): the same 422 as ours.
            return errors.ValidationFailed(field_errors("body", exc.detail))
        case drf.ParseError():
            return errors.MalformedRequest()
        case drf.NotAuthenticated() | drf.AuthenticationFailed():
            return errors.Unauthorized()
        case drf.PermissionDenied():
            return errors.Forbidden()
        case drf.NotFound() | Http404():
            return errors.NotFound()
        case drf.MethodNotAllowed():
            return errors.MethodNotAllowed(allow_header(allowed or []))
        case drf.UnsupportedMediaType():
            return errors.UnsupportedMediaType()
        case OperationalError() | InterfaceError():
            log.error("database unavailable: %s", type(exc).__name__)
            return errors.ServiceUnavailable()
    log.error("unhandled error", exc_info=exc)
    return errors.DomainError()


def drf_exception_handler(exc: Exception, context: dict[str, Any]) -> HttpResponse:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every error raised inside a DRF view."""
    view = context.get("view")
    allowed = list(getattr(view, "allowed_methods", [])) if view is not None else []
    request = context["request"]
    return problem_response(to_problem(exc, allowed), request._request)


# Django's own error views (urls.handler400/404/500), so nothing ever renders HTML.
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return problem_response(errors.MalformedRequest(), request)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return problem_response(errors.NotFound(), request)


def server_error(request: HttpRequest) -> HttpResponse:
    return problem_response(errors.DomainError(), request)

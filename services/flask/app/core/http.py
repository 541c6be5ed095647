"""The request pipeline: request id, the contract's order of checks (§1), response headers."""

from __future__ import annotations

import io
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast
from urllib.parse import parse_qsl

from flask import Flask, Response, after_this_request, current_app, g, request
from flask.globals import request_ctx
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import MethodNotAllowed as WerkzeugMethodNotAllowed
from werkzeug.routing import BaseConverter

from app.core import cors
from app.core.errors import (
    MalformedRequest,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
)
from app.core.logging import request_id_var

log = logging.getLogger("app.access")

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
MAX_BODY_BYTES = 65536
DISCARD_LIMIT = 1024 * 1024  # past this, the server closes the connection instead
CLOSE_CONNECTION = "users_api.close_connection"
BAD_PERCENT_RE = re.compile(rb"%(?![0-9A-Fa-f]{2})")
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,128}\Z")
V1_HEADERS = {
    "Deprecation": "@1767225600",
    "Sunset": "Thu, 01 Jul 2027 00:00:00 GMT",
    "Link": '</api/v2/users>; rel="successor-version"',
}
TOKEN_PATHS = ("/api/v1/auth/token", "/api/v2/auth/token")

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Policy:
    """What an operation needs before its view runs: a body media type, a bearer token."""

    body: str | None = None
    auth: bool = False


def policy(*, body: str | None = None, auth: bool = False) -> Callable[[F], F]:
    def mark(func: F) -> F:
        func.__api_policy__ = Policy(body=body, auth=auth)  # type: ignore[attr-defined]
        return func

    return mark


def current_policy() -> Policy:
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "__api_policy__", Policy())


class StrictJSONProvider(DefaultJSONProvider):
    """RFC 8259 only: UTF-8, no NaN/Infinity, no lone surrogates."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        text = s.decode("utf-8") if isinstance(s, bytes) else s
        try:
            value = json.loads(text, parse_constant=_reject_constant, **kwargs)
            _reject_surrogates(value)
        except RecursionError:  # nested past the parser's depth: unparseable, not a 500
            raise ValueError("JSON nested too deeply") from None
        return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _reject_surrogates(value: Any) -> None:
    if isinstance(value, str):
        value.encode("utf-8")  # raises UnicodeEncodeError on a lone surrogate
    elif isinstance(value, dict):
        for key, item in value.items():
            key.encode("utf-8")
            _reject_surrogates(item)
    elif isinstance(value, list):
        for item in value:
            _reject_surrogates(item)


def assign_request_id() -> None:
    incoming = request.headers.get("X-Request-ID", "")
    request_id = incoming if REQUEST_ID_RE.match(incoming) else str(uuid.uuid4())
    g.request_id = request_id
    g.request_id_token = request_id_var.set(request_id)
    g.started = time.perf_counter()


def check_route_method_and_size() -> Response | None:
    """Steps 1-4: route (404), method (405; HEAD too), body size (413), media type (415)."""
    # The body is read (or discarded) first, whatever the answer: an early error must never
    # leave unread bytes on a keep-alive connection.
    too_large = _buffer_body()
    preflight = cors.preflight_response()  # a CORS preflight is answered on any path
    if preflight is not None:
        return preflight
    if request.routing_exception is not None:
        raise request.routing_exception
    if request.method == "HEAD":
        adapter = request_ctx.url_adapter
        allowed = adapter.allowed_methods() if adapter is not None else []
        raise WerkzeugMethodNotAllowed(valid_methods=allowed)
    if too_large:
        raise PayloadTooLarge()
    expected = current_policy().body
    if expected is None:
        return None
    body = request.get_data(cache=True)
    if not body and "Content-Type" not in request.headers:
        return None  # nothing to type: an empty JSON body is a 400, an empty form lacks its fields
    if request.mimetype != expected:
        raise UnsupportedMediaType(f"Content-Type must be {expected}")
    return None


def _buffer_body() -> bool:
    """Read the whole body into memory (at most 64 KiB; a chunked body is counted while
    reading); True when it is too large, in which case it was discarded."""
    environ = request.environ
    stream = environ["wsgi.input"]
    length = request.content_length
    data = b""
    if length is not None and length > MAX_BODY_BYTES:
        _discard(stream, length)
        return True
    if length is not None:
        data = stream.read(length) if length else b""
    elif environ.get("wsgi.input_terminated"):
        data = stream.read(MAX_BODY_BYTES + 1)
        if len(data) > MAX_BODY_BYTES:
            _discard(stream, DISCARD_LIMIT)
            return True
    environ["wsgi.input"] = io.BytesIO(data)
    environ["CONTENT_LENGTH"] = str(len(data))
    return False


def _discard(stream: Any, limit: int) -> None:
    """Drop up to 1 MiB of an oversized body; past that the connection is closed after the
    answer (`Connection: close`), since the rest of the body is still on it."""
    remaining = min(limit, DISCARD_LIMIT)
    while remaining > 0:
        chunk = stream.read(min(remaining, 65536))
        if not chunk:
            return
        remaining -= len(chunk)
    if stream.read(1):
        request.environ[CLOSE_CONNECTION] = True


def parse_body() -> None:
    """Step 6 (400) and the whole-body part of step 7 (422: a JSON body must be an object)."""
    expected = current_policy().body
    if expected == JSON:
        if not request.get_data(cache=True):
            raise MalformedRequest()
        body = request.get_json(force=True)  # StrictJSONProvider; failures raise 400
        if not isinstance(body, dict):
            error = {"in": "body", "field": "", "code": "invalid", "message": "must be an object"}
            raise ValidationFailed([error])
    elif expected == FORM:
        raw = request.get_data(cache=True)
        if BAD_PERCENT_RE.search(raw):
            raise MalformedRequest()
        try:
            g.form_pairs = parse_qsl(
                raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict"
            )
        except UnicodeDecodeError:
            raise MalformedRequest() from None


def add_headers(response: Response) -> Response:
    response.headers["X-Request-ID"] = g.get("request_id") or request_id_var.get()
    response.headers["X-Content-Type-Options"] = "nosniff"
    if request.path.startswith("/api/v1/"):
        response.headers.update(V1_HEADERS)
    if request.path in TOKEN_PATHS:
        response.headers["Cache-Control"] = "no-store"
    if request.environ.get(CLOSE_CONNECTION) or response.status_code == 413:
        response.headers["Connection"] = "close"
    if response.status_code == 204:
        response.headers.pop("Content-Type", None)
        response.set_data(b"")
    started = g.get("started")
    elapsed = (time.perf_counter() - started) * 1000 if started else 0.0
    log.info("%s %s %s %.1fms", request.method, request.path, response.status_code, elapsed)
    return response


def reset_request_id(_exc: BaseException | None) -> None:
    token = g.pop("request_id_token", None)
    if token is not None:
        request_id_var.reset(token)


class CloseUnreadConnections:
    """WSGI middleware: when a body was left unread, the connection must close after the answer.
    gunicorn drops hop-by-hop headers set by an application, so its response object is asked
    directly (`force_close()` makes it send `Connection: close` and close); other servers get
    the header."""

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            # A 413 always closes (contract §3): the server never reads a body past the limit.
            if environ.get(CLOSE_CONNECTION) or status.startswith("413"):
                server_response = getattr(start_response, "__self__", None)
                force_close = getattr(server_response, "force_close", None)
                if callable(force_close):
                    force_close()
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


def init_app(app: Flask) -> None:
    app.json = StrictJSONProvider(app)
    app.wsgi_app = CloseUnreadConnections(app.wsgi_app)  # type: ignore[method-assign]
    app.url_map.merge_slashes = False
    app.url_map.converters["user_id"] = UserIdConverter
    app.before_request(assign_request_id)
    app.before_request(check_route_method_and_size)
    app.after_request(add_headers)
    app.teardown_request(reset_request_id)


class UserIdConverter(BaseConverter):
    """Any single segment but `me`: `/users/me` is its own GET-only route, so other methods on
    it answer 405 instead of falling through to `/users/{id}`."""

    regex = r"(?!me$)[^/]+"


def json_response(
    payload: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    response = cast(Response, current_app.json.response(payload))
    response.status_code = status
    if headers:
        response.headers.update(headers)
    return response


def no_content() -> Response:
    return Response(status=204)


def after_response(job: Callable[[], object]) -> None:
    """Run `job` once the response has been sent: the client never waits on the broker, and
    the job's log lines (with this request's id) follow the request's own."""
    request_id = g.request_id

    def run() -> None:
        token = request_id_var.set(request_id)
        try:
            job()
        finally:
            request_id_var.reset(token)

    @after_this_request
    def schedule(response: Response) -> Response:
        response.call_on_close(run)
        return response

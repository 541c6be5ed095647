"""Cross-cutting HTTP: header limits, request id, contract headers, last-resort problem+json."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from io import BytesIO
from typing import Any

from django.http import HttpRequest, HttpResponse

from usersapi.core.after_response import begin_request
from usersapi.core.context import request_id_from, request_id_var
from usersapi.core.contract import (
    MAX_BODY_BYTES,
    MAX_HEADER_BYTES,
    MAX_HEADER_FIELDS,
    PROBLEM_MEDIA_TYPE,
    header_flood_body,
    header_flood_headers,
    standard_headers,
)
from usersapi.core.errors import HeaderFieldsTooLarge
from usersapi.core.problems import problem_response, request_path, to_problem

log = logging.getLogger(__name__)
access_log = logging.getLogger("access")

# A 413 still reads (and drops) a body up to this size, so the keep-alive connection stays usable;
# gunicorn itself drains only 64 KiB before closing a connection without telling the client.
DRAIN_BYTES = 1024 * 1024
BODY_TOO_LARGE = "usersapi.body_too_large"
BODY_LEFT_UNREAD = "usersapi.body_left_unread"
# WSGI keeps these two out of the HTTP_ prefix; their names are as long as the header's.
UNPREFIXED = ("CONTENT_TYPE", "CONTENT_LENGTH")


class AccessLogMiddleware:
    """Outermost: the one request line per answer (contract §8), in place of the server's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        if access_log.isEnabledFor(logging.INFO):
            duration_ms = (time.perf_counter() - started) * 1000
            # The inner middleware has unbound the id by now; every answer carries it.
            token = request_id_var.set(response.get("X-Request-ID", "-"))
            try:
                path = request_path(request)
                access_log.info(
                    "%s %s %d",
                    request.method,
                    path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": path,
                        "status": response.status_code,
                        "duration_ms": round(duration_ms, 3),
                    },
                )
            finally:
                request_id_var.reset(token)
        return response


class HeaderLimitMiddleware:
    """First of all: a header section over the contract's bounds is a 431, before routing.

    gunicorn already refuses more than 100 fields and any one field over 16 KiB (see
    `gunicorn.conf.py` and `core/gunicorn_worker.py`); the total is counted here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields, size = environ_section(request.META)
        if fields <= MAX_HEADER_FIELDS and size <= MAX_HEADER_BYTES:
            return self.get_response(request)
        request_id = str(uuid.uuid4())  # the client's own id is among the refused headers
        token = request_id_var.set(request_id)
        try:
            log.warning("header section refused: %d fields, %d bytes", fields, size)
        finally:
            request_id_var.reset(token)
        body = header_flood_body(request_id)
        response = HttpResponse(
            body, status=HeaderFieldsTooLarge.status, content_type=PROBLEM_MEDIA_TYPE
        )
        # Content-Length too: CommonMiddleware, which sets it, is inside. `Connection: close`
        # is the server's to send (BODY_LEFT_UNREAD below).
        for name, value in header_flood_headers(request_id, body):
            response[name] = value
        request.META[BODY_LEFT_UNREAD] = True  # BoundedBodyMiddleware then closes the connection
        return response


class RequestContextMiddleware:
    """Binds the request id for logging and adds the headers every response carries."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        begin_request()
        request_id = request_id_from(request.headers.get("X-Request-ID"))
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
            _drop_unread_body(request)
            if not response.streaming and not response.content:
                del response["Content-Type"]  # 204s and CORS preflights carry no body
            for name, value in standard_headers(request.path, request_id).items():
                response[name] = value
            return response
        finally:
            request_id_var.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse:
        """Errors outside DRF's views (e.g. the database failing before a view runs)."""
        return problem_response(to_problem(exception), request)


class BoundedBodyMiddleware:
    """WSGI middleware around Django for what only the transport layer can do.

    A chunked body has no Content-Length, so Django would ignore it: read it here, at most one
    byte past the limit, and hand Django a sized body or a too-large flag. And when a body is
    left unread (too large to drain), the connection must close: `Connection: close` is a
    hop-by-hop header a WSGI app may not set, so ask gunicorn's response object directly.
    """

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not environ.get("CONTENT_LENGTH"):
            stream = environ["wsgi.input"]
            body = stream.read(MAX_BODY_BYTES + 1)
            if len(body) > MAX_BODY_BYTES:
                environ[BODY_TOO_LARGE] = True
                if not drain(stream, DRAIN_BYTES):
                    environ[BODY_LEFT_UNREAD] = True
                body = b""
            environ["wsgi.input"] = BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            # A 413 always closes (contract §3): the server never reads a body past the limit.
            if environ.get(BODY_LEFT_UNREAD) or status.startswith("413"):
                force_close = getattr(
                    getattr(start_response, "__self__", None), "force_close", None
                )
                if callable(force_close):
                    force_close()  # gunicorn then answers with `Connection: close`
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


def environ_section(environ: Mapping[str, Any]) -> tuple[int, int]:
    """Fields and bytes (name + value + CRLF each) of the header section in a WSGI environ."""
    fields = size = 0
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name_length = len(key) - len("HTTP_")
        elif key in UNPREFIXED:
            name_length = len(key)
        else:
            continue
        fields += 1
        size += name_length + len(value) + 2
    return fields, size


def _drop_unread_body(request: HttpRequest) -> None:
    """An error answered before the body was read (404, 405, 413...) leaves it on the socket."""
    if getattr(request, "_read_started", False) or hasattr(request, "_body"):
        return
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    if length > DRAIN_BYTES or (length > 0 and not drain(request, length)):
        request.META[BODY_LEFT_UNREAD] = True


def drain(stream: Any, limit: int) -> bool:
    """Read and drop up to `limit` bytes of a request body; True when the body ended."""
    left = limit
    while left > 0:
        chunk = stream.read(min(65536, left))
        if not chunk:
            return True
        left -= len(chunk)
    return not stream.read(1)

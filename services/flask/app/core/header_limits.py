"""Header floods (contract §3): the limits, the 431 problem, and the WSGI middleware answering it.

gunicorn already refuses more than 100 fields and any one field over 16 KiB (`gunicorn.conf.py`,
`app/core/gunicorn_worker.py`); the total is counted here, around Flask, so before routing.
No Flask imports: the gunicorn worker class loads this module in the server's master process.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

log = logging.getLogger(__name__)

MAX_FIELDS = 100
MAX_BYTES = 16384  # name + value + CRLF of every field
STATUS_LINE = "431 Request Header Fields Too Large"
PROBLEM_JSON = "application/problem+json"
# WSGI keeps these two out of the HTTP_ prefix; their names are as long as the header's.
UNPREFIXED = ("CONTENT_TYPE", "CONTENT_LENGTH")


def problem_body(request_id: str) -> bytes:
    """No routed request, so no path to name: `instance` is empty."""
    return json.dumps(
        {
            "type": "/problems/header-fields-too-large",
            "title": "Request header fields too large",
            "status": 431,
            "detail": f"Request header section exceeds {MAX_FIELDS} fields or {MAX_BYTES} bytes",
            "instance": "",
            "request_id": request_id,
        }
    ).encode()


def problem_headers(request_id: str, body: bytes) -> list[tuple[str, str]]:
    return [
        ("Content-Type", PROBLEM_JSON),
        ("Content-Length", str(len(body))),
        ("X-Request-ID", request_id),
        ("X-Content-Type-Options", "nosniff"),
    ]


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


class HeaderLimitMiddleware:
    """Outermost WSGI middleware: 431 for a header section over 100 fields or 16 KiB in all."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        fields, size = environ_section(environ)
        if fields <= MAX_FIELDS and size <= MAX_BYTES:
            return self.wsgi_app(environ, start_response)
        request_id = str(uuid.uuid4())  # the client's own id is among the refused headers
        log.warning("header section refused: %d fields, %d bytes", fields, size)
        # The body is left unread: gunicorn drops an application's hop-by-hop headers, so its
        # response is asked to close directly; other servers get the header.
        force_close = getattr(getattr(start_response, "__self__", None), "force_close", None)
        if callable(force_close):
            force_close()
        body = problem_body(request_id)
        start_response(STATUS_LINE, [*problem_headers(request_id, body), ("Connection", "close")])
        return [body]

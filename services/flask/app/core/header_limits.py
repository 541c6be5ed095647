"""Header floods (contract §3): the WSGI middleware answering the 431 for the total size.

gunicorn already refuses more than 100 fields and any one field over 16 KiB (`gunicorn.conf.py`,
`app/core/gunicorn_worker.py`); the total is counted here, around Flask, so before routing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from app.core.contract import (
    HEADER_FLOOD_STATUS_LINE,
    MAX_HEADER_BYTES,
    MAX_HEADER_FIELDS,
    header_flood_body,
    header_flood_headers,
)

log = logging.getLogger(__name__)

# WSGI keeps these two out of the HTTP_ prefix; their names are as long as the header's.
UNPREFIXED = ("CONTENT_TYPE", "CONTENT_LENGTH")


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
    """WSGI middleware around Flask: 431 for a header section over 100 fields or 16 KiB in all."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        fields, size = environ_section(environ)
        if fields <= MAX_HEADER_FIELDS and size <= MAX_HEADER_BYTES:
            return self.wsgi_app(environ, start_response)
        request_id = str(uuid.uuid4())  # the client's own id is among the refused headers
        log.warning("header section refused: %d fields, %d bytes", fields, size)
        # The body is left unread: gunicorn drops an application's hop-by-hop headers, so its
        # response is asked to close directly; other servers get the header.
        force_close = getattr(getattr(start_response, "__self__", None), "force_close", None)
        if callable(force_close):
            force_close()
        body = header_flood_body(request_id)
        headers = [*header_flood_headers(request_id, body), ("Connection", "close")]
        start_response(HEADER_FLOOD_STATUS_LINE, headers)
        return [body]

"""Header sections refused before routing, whatever the path: floods get a 431 (contract §3), a
repeated singleton field a 400 (contract §9). Any other repeated field is joined into one, as
contract §9 reads it.

uvicorn's httptools protocol has no header limits of its own, so this pure ASGI middleware, just
inside the request line's, counts what the server parsed. The server has by then read the whole
header section into memory: this bounds what the app processes, not what the server buffers.
"""

import logging
import uuid

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.context import request_id_var
from app.core.contract import MAX_HEADER_BYTES, MAX_HEADER_FIELDS, standard_headers
from app.core.errors import AmbiguousHeaders, HeaderFieldsTooLarge, HttpError
from app.core.problems import problem_response

log = logging.getLogger(__name__)
# RFC 9110 §5.3: fields that admit one member, so a repeat makes the request ambiguous.
SINGLETON_FIELDS = (b"content-type", b"host")


def header_section_size(headers: list[tuple[bytes, bytes]]) -> int:
    return sum(len(name) + len(value) + 2 for name, value in headers)


def repeats_a_singleton(headers: list[tuple[bytes, bytes]]) -> bool:
    names = [name.lower() for name, _ in headers]
    return any(names.count(field) > 1 for field in SINGLETON_FIELDS)


def joined(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """One field per name, repeated values joined by ", " (RFC 9110 §5.3), as WSGI servers hand
    them to django and flask: a repeated X-Request-ID or Authorization then matches no pattern,
    a repeated If-Match is a list (contract §9). Starlette would read only the first."""
    merged: dict[bytes, bytes] = {}
    for name, value in headers:
        key = name.lower()
        merged[key] = merged[key] + b", " + value if key in merged else value
    return list(merged.items())


class HeaderLimitMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = scope["headers"] if scope["type"] == "http" else []
        if len(headers) > MAX_HEADER_FIELDS or header_section_size(headers) > MAX_HEADER_BYTES:
            await self._refuse(scope, receive, send, HeaderFieldsTooLarge())
            return
        if repeats_a_singleton(headers):
            await self._refuse(scope, receive, send, AmbiguousHeaders())
            return
        if len({name.lower() for name, _ in headers}) < len(headers):
            scope = {**scope, "headers": joined(headers)}
        await self.app(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, error: HttpError) -> None:
        # A fresh id: the client's own X-Request-ID is among the headers being refused.
        request_id = str(uuid.uuid4())
        request_id_var.set(request_id)
        headers = scope["headers"]
        size = header_section_size(headers)
        log.warning(
            "header section refused (%d): %d fields, %d bytes", error.status, len(headers), size
        )
        # No routed request, so no path to name: `instance` is empty (contract §3, §9).
        response = problem_response(Request(scope, receive), error, extra={"instance": ""})
        response.headers.update(standard_headers("", request_id))
        await response(scope, receive, send)

"""Header floods (contract §3): a 431 problem before routing, whatever the path.

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
from app.core.errors import HeaderFieldsTooLarge
from app.core.problems import problem_response

log = logging.getLogger(__name__)


def header_section_size(headers: list[tuple[bytes, bytes]]) -> int:
    return sum(len(name) + len(value) + 2 for name, value in headers)


class HeaderLimitMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = scope["headers"] if scope["type"] == "http" else []
        if len(headers) > MAX_HEADER_FIELDS or header_section_size(headers) > MAX_HEADER_BYTES:
            await self._refuse(scope, receive, send, headers)
            return
        await self.app(scope, receive, send)

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, headers: list[tuple[bytes, bytes]]
    ) -> None:
        # A fresh id: the client's own X-Request-ID is among the headers being refused.
        request_id = str(uuid.uuid4())
        request_id_var.set(request_id)
        size = header_section_size(headers)
        log.warning("header section refused: %d fields, %d bytes", len(headers), size)
        # No routed request, so no path to name: `instance` is empty (contract §3).
        response = problem_response(
            Request(scope, receive), HeaderFieldsTooLarge(), extra={"instance": ""}
        )
        response.headers.update(standard_headers("", request_id))
        await response(scope, receive, send)

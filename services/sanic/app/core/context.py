"""Per-request context: the request id (validated once) and the contextvar the log filter reads."""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from functools import cached_property
from typing import Any
from urllib.parse import unquote

from sanic import Request

from app.core.contract import REQUEST_ID_PATTERN

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")


def request_id_from(header_value: str | None) -> str:
    """The client's X-Request-ID when it matches the contract's pattern, else a new UUID4."""
    if header_value and REQUEST_ID_PATTERN.fullmatch(header_value):
        return header_value
    return str(uuid.uuid4())


class AppRequest(Request):
    """Sanic's Request with the contract's request id (Sanic's own `id` accepts anything)."""

    @cached_property
    def request_id(self) -> str:
        return request_id_from(self.headers.getone("x-request-id", None))

    @cached_property
    def path(self) -> str:
        """The percent-decoded path (RFC 3986 §6.2.2.2), as ASGI servers hand it to the other
        services: `/api/v2/users/%6de` routes as `/api/v2/users/me` (Sanic routes the raw one)."""
        return unquote(super().path)


def bind_request(request: Any) -> None:
    """Make `request`'s id visible to every log line written while it is handled."""
    if isinstance(request, AppRequest):
        request_id_var.set(request.request_id)

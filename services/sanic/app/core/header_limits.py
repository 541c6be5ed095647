"""Header floods (contract §3): refused with 431 before routing.

Sanic reads at most REQUEST_MAX_HEADER_SIZE bytes of head (16384 at most, request line
included) and raises its own PayloadTooLarge past that, before any request exists; a signal
counts the fields of every head Sanic did parse. `app.core.problems` answers both with the 431.
"""

from __future__ import annotations

from typing import Any

from sanic import Request, Sanic

from app.core.contract import MAX_HEADER_BYTES, MAX_HEADER_FIELDS
from app.core.errors import HeaderFieldsTooLarge


async def refuse_many_fields(request: Request) -> None:
    """`http.lifecycle.request`: right after the head is parsed, before routing."""
    if len(request.headers) > MAX_HEADER_FIELDS:
        raise HeaderFieldsTooLarge()


def install(app: Sanic[Any, Any]) -> None:
    app.config.REQUEST_MAX_HEADER_SIZE = MAX_HEADER_BYTES
    app.signal("http.lifecycle.request")(refuse_many_fields)

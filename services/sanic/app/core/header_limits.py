"""Header floods (contract §3): refused with 431 before routing.

Sanic reads at most REQUEST_MAX_HEADER_SIZE bytes of head (16384 at most, request line
included) and raises its own PayloadTooLarge past that, before any request exists; a signal
counts the fields of every head Sanic did parse. `app.core.problems` answers both with the 431.
"""

from __future__ import annotations

from typing import Any

from sanic import Request, Sanic
from sanic.exceptions import PayloadTooLarge, SanicException

MAX_FIELDS = 100
MAX_HEADER_BYTES = 16384  # the contract's bound, and Sanic's ceiling for REQUEST_MAX_HEADER_SIZE
DETAIL = f"Request header section exceeds {MAX_FIELDS} fields or {MAX_HEADER_BYTES} bytes"


class HeaderFieldsTooLarge(SanicException):
    status_code = 431


def is_header_flood(request: Request, exception: Exception) -> bool:
    """Ours, or Sanic's PayloadTooLarge for the head: a body too large is raised on the parsed
    request, a head too large on the stand-in Sanic makes to answer it, which has no head."""
    if isinstance(exception, HeaderFieldsTooLarge):
        return True
    return isinstance(exception, PayloadTooLarge) and not request.head


async def refuse_many_fields(request: Request) -> None:
    """`http.lifecycle.request`: right after the head is parsed, before routing."""
    if len(request.headers) > MAX_FIELDS:
        raise HeaderFieldsTooLarge(DETAIL)


def install(app: Sanic[Any, Any]) -> None:
    app.config.REQUEST_MAX_HEADER_SIZE = MAX_HEADER_BYTES
    app.signal("http.lifecycle.request")(refuse_many_fields)

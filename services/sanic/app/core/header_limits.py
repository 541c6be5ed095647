"""Header sections refused before routing: floods with 431 (contract §3), a repeated singleton
field with 400 (contract §9).

Sanic reads at most REQUEST_MAX_HEADER_SIZE bytes of head (16384 at most, request line
included) and raises its own PayloadTooLarge past that, before any request exists; a signal
counts the fields of every head Sanic did parse. `app.core.problems` answers both with the 431.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from sanic import Request, Sanic

from app.core.contract import MAX_HEADER_BYTES, MAX_HEADER_FIELDS
from app.core.errors import AmbiguousHeaders, HeaderFieldsTooLarge

# RFC 9110 §5.3: fields that admit one member, so a repeat makes the request ambiguous.
SINGLETON_FIELDS = ("content-type", "host")


# Set when the head itself is refused: the answer then has no routed path, no path-based
# headers and no CORS. Sanic answers such an error on a stand-in request, so the mark cannot live
# on the request; the connection closes after the answer, so it never outlives the request.
head_refused: ContextVar[bool] = ContextVar("head_refused", default=False)


def refused_head(request: Request) -> bool:
    return head_refused.get()


async def refuse_many_fields(request: Request) -> None:
    """`http.lifecycle.request`: right after the head is parsed, before routing."""
    if len(request.headers) > MAX_HEADER_FIELDS:
        raise HeaderFieldsTooLarge()
    if any(len(request.headers.getall(name, [])) > 1 for name in SINGLETON_FIELDS):
        head_refused.set(True)
        raise AmbiguousHeaders()


def install(app: Sanic[Any, Any]) -> None:
    app.config.REQUEST_MAX_HEADER_SIZE = MAX_HEADER_BYTES
    app.signal("http.lifecycle.request")(refuse_many_fields)

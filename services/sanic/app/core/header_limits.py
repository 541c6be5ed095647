"""Header sections refused before routing: floods with 431 (contract §3), a repeated singleton
field with 400 (contract §9). Any other repeated field is joined into one, as contract §9 reads it.

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


async def join_repeated_fields(request: Request) -> None:
    """One field per name, repeated values joined by ", " (RFC 9110 §5.3), as WSGI servers hand
    them to django and flask: a repeated X-Request-ID or Authorization then matches no pattern, a
    repeated If-Match is a list (contract §9). Sanic would read only the first. Singleton fields
    keep their repeats for `refuse_many_fields` to refuse."""
    headers = request.headers
    names = [key.lower() for key in headers]
    if len(set(names)) == len(names):
        return
    for name in set(names) - set(SINGLETON_FIELDS):
        values = headers.getall(name)
        if len(values) > 1:
            headers[name] = ", ".join(values)


def install(app: Sanic[Any, Any]) -> None:
    app.config.REQUEST_MAX_HEADER_SIZE = MAX_HEADER_BYTES
    app.signal("http.lifecycle.request")(refuse_many_fields)
    # Before anything reads a header (the request id is bound at priority 20_000).
    app.signal("http.lifecycle.request", priority=30_000)(join_repeated_fields)

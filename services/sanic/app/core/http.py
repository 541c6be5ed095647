"""Cross-cutting HTTP behaviour: media-type checks, request-id binding and response headers."""

from __future__ import annotations

from typing import Any

from sanic import HTTPResponse, Request, Sanic
from sanic.http import Http

from app.core.contract import FORM_MEDIA_TYPE, MAX_BODY_BYTES, standard_headers
from app.core.errors import PayloadTooLarge, UnsupportedMediaType
from app.core.header_limits import refused_head
from app.core.problems import request_id_of


def media_type(request: Request) -> str:
    return (request.headers.getone("content-type", "") or "").split(";")[0].strip().lower()


async def check_declared_size(request: Request, **_: Any) -> None:
    """Contract §1 step 3 by Content-Length, right after routing (404/405 already decided)."""
    declared = request.headers.getone("content-length", None)
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise PayloadTooLarge()


async def check_media_type(request: Request, **_: Any) -> None:
    """Routes declare `ctx_media=...`; checked before auth and body parsing (contract §1 step 4)."""
    if len(request.body) > MAX_BODY_BYTES:  # a chunked body, counted while it was read
        raise PayloadTooLarge()
    expected = getattr(request.route.ctx, "media", None) if request.route else None
    if not request.body and "content-type" not in request.headers:
        return  # nothing sent at all: body parsing decides (400 for JSON, an empty form is 422)
    if expected and media_type(request) != expected:
        if expected == FORM_MEDIA_TYPE:
            raise UnsupportedMediaType(f"Content-Type must be {FORM_MEDIA_TYPE}")
        raise UnsupportedMediaType()


def close_if_body_unread(request: Request) -> None:
    """Contract §3/§9: an answer given before a large body was read (an early 413 by
    Content-Length, 404/405 from routing) says `Connection: close`. Sanic kept the connection
    alive, then drained the rest up to REQUEST_MAX_SIZE or dropped it unread past that; now it
    drains, then closes. A body within the contract's limit is drained and the connection kept,
    as uvicorn keeps it."""
    stream = request.stream
    if isinstance(stream, Http) and stream.request_body:  # a body, not read to its end yet
        chunked = "transfer-encoding" in request.headers  # Sanic refuses any other coding
        if chunked or (stream.request_bytes_left or 0) > MAX_BODY_BYTES:
            stream.keep_alive = False


async def contract_headers(request: Request, response: HTTPResponse) -> None:
    close_if_body_unread(request)
    if response.status == 413 and isinstance(request.stream, Http):
        request.stream.keep_alive = False  # a 413 always closes: no body is read past the limit
    # Refused before routing (contract §3): no path, so no path-based headers.
    path = "" if response.status == 431 or refused_head(request) else request.path
    response.headers.update(standard_headers(path, request_id_of(request)))


def install(app: Sanic[Any, Any]) -> None:
    # Higher priority than sanic-ext's injection (which resolves the current user, i.e. 401).
    app.signal("http.routing.after", priority=10_000)(check_declared_size)
    app.signal("http.handler.before", priority=10_000)(check_media_type)
    app.on_response(contract_headers, priority=10_000)  # type: ignore[no-untyped-call]

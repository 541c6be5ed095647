"""The request pipeline through sanic-testing's ASGI client: order of checks, 405s."""

from __future__ import annotations

from typing import Any

import pytest
from sanic import Sanic

from tests.factories import JSON


async def test_media_type_comes_before_auth_and_auth_before_parsing(app: Sanic[Any, Any]) -> None:
    _, resp = await app.asgi_client.patch("/api/v1/users/1", content=b"{", headers={})
    assert resp.status == 415
    _, resp = await app.asgi_client.patch("/api/v1/users/1", content=b"{", headers=JSON)
    assert resp.status == 401
    assert resp.headers["www-authenticate"] == "Bearer"


async def test_head_options_and_me_methods_are_405(app: Sanic[Any, Any]) -> None:
    for method in ("head", "options"):
        _, resp = await getattr(app.asgi_client, method)("/health")
        assert resp.status == 405
        assert resp.headers["allow"] == "GET"
    _, resp = await app.asgi_client.delete("/api/v2/users/me")
    assert resp.status == 405
    assert resp.headers["allow"] == "GET"
    _, resp = await app.asgi_client.put("/api/v2/users/x")
    assert resp.headers["allow"] == "DELETE, GET, PATCH"


@pytest.mark.parametrize(
    ("path", "body", "status", "connection"),
    [
        ("/api/v2/users", b"x" * 70_000, 413, "close"),  # by Content-Length, body left unread
        ("/nope", b"{}", 404, "keep-alive"),  # unread, but small: drained, connection kept
        ("/nope", b"x" * 70_000, 404, "close"),  # a large body left unread
        ("/api/v2/users", b"{}", 422, "keep-alive"),  # read to its end first
    ],
)
def test_an_answer_before_a_large_body_was_read_closes_the_connection(
    app: Sanic[Any, Any], path: str, body: bytes, status: int, connection: str
) -> None:
    """Contract §3 "Transport limits", through a real Sanic HTTP/1.1 server."""
    _, resp = app.test_client.post(path, content=body, headers=JSON)
    assert resp.status == status
    assert resp.headers["connection"] == connection

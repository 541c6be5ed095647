"""The request pipeline through sanic-testing's ASGI client: order of checks, 405s."""

from __future__ import annotations

from typing import Any

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

"""The request pipeline through sanic-testing's ASGI client: order of checks, 405s, CORS."""

from __future__ import annotations

from typing import Any

from app.core.settings import Settings
from app.main import create_app
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

async def test_cors_preflight_only_when_configured(settings: Settings) -> None:
    Sanic.test_mode = True
    app = create_app(settings=settings.model_copy(update={"cors_origins": "http://example.com"}))
    preflight = {"origin": "http://example.com", "access-control-request-method": "POST"}
    _, resp = await app.asgi_client.options("/api/v2/users", headers=preflight)
    assert resp.status == 204
    assert resp.headers["access-control-allow-origin"] == "http://example.com"
    _, resp = await app.asgi_client.options("/api/v2/users")
    assert resp.status == 405
    assert resp.headers["allow"] == "GET, POST"

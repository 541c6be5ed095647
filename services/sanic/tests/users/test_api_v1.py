"""/api/v1/users through the ASGI client."""

from __future__ import annotations

from typing import Any

from sanic import Sanic

from tests.factories import ADMIN_EMAIL, ADMIN_PASSWORD, token


async def test_sign_up_then_read_through_both_versions(app: Sanic[Any, Any]) -> None:
    _, resp = await app.asgi_client.post(
        "/api/v1/users",
        json={"email": " Ada@Example.com ", "full_name": " Ada ", "password": "password123"},
        headers={"x-request-id": "req-1"},
    )
    assert resp.status == 201, resp.text
    assert resp.headers["x-request-id"] == "req-1"
    assert resp.headers["deprecation"] == "@1767225600"
    assert resp.headers["location"] == f"/api/v1/users/{resp.json['id']}"
    assert resp.json["email"] == "ada@example.com"
    bearer = {"authorization": f"Bearer {await token(app, 'ada@example.com', 'password123')}"}
    _, me = await app.asgi_client.get("/api/v2/users/me", headers=bearer)
    assert me.status == 200
    assert me.json["name"] == "Ada"
    assert me.headers["etag"] == f'"{me.json["id"]}.1"'


async def test_malformed_ids_and_trailing_slash_are_404(app: Sanic[Any, Any]) -> None:
    bearer = {"authorization": f"Bearer {await token(app, ADMIN_EMAIL, ADMIN_PASSWORD)}"}
    for path in ("/api/v1/users/01", "/api/v1/users/9223372036854775808", "/api/v2/users/ABC"):
        _, resp = await app.asgi_client.get(path, headers=bearer)
        assert resp.status == 404, path
    _, resp = await app.asgi_client.post("/health/")
    assert resp.status == 404

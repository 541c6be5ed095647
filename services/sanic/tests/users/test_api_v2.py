"""/api/v2/users through the ASGI client: validation problems, If-Match."""

from __future__ import annotations

from typing import Any

from sanic import Sanic

from tests.factories import ADMIN_EMAIL, ADMIN_PASSWORD, token


async def test_validation_problem(app: Sanic[Any, Any]) -> None:
    _, resp = await app.asgi_client.post(
        "/api/v2/users", json={"email": "nope", "name": "", "role": "admin"}
    )
    assert resp.status == 422
    assert resp.headers["content-type"] == "application/problem+json"
    assert [(e["field"], e["code"]) for e in resp.json["errors"]] == [
        ("email", "invalid"),
        ("name", "too_short"),
        ("password", "required"),
        ("role", "unknown_field"),
    ]
    assert resp.json["detail"] == "4 fields are invalid"


async def test_v2_patch_needs_if_match(app: Sanic[Any, Any]) -> None:
    bearer = {"authorization": f"Bearer {await token(app, ADMIN_EMAIL, ADMIN_PASSWORD)}"}
    _, me = await app.asgi_client.get("/api/v2/users/me", headers=bearer)
    url = f"/api/v2/users/{me.json['id']}"
    _, resp = await app.asgi_client.patch(url, json={"name": "Root"}, headers=bearer)
    assert resp.status == 428
    _, resp = await app.asgi_client.patch(
        url, json={"name": "Root"}, headers=bearer | {"if-match": '"stale.1"'}
    )
    assert resp.status == 412
    _, resp = await app.asgi_client.patch(
        url, json={"name": "Root"}, headers=bearer | {"if-match": me.headers["etag"]}
    )
    assert resp.status == 200
    assert resp.headers["etag"].endswith('.2"')


async def test_v2_patch_with_empty_if_match_is_412(app: Sanic[Any, Any]) -> None:
    bearer = {"authorization": f"Bearer {await token(app, ADMIN_EMAIL, ADMIN_PASSWORD)}"}
    _, resp = await app.asgi_client.get("/api/v2/users/me", headers=bearer)
    url = f"/api/v2/users/{resp.json['id']}"
    for empty in ("", "  "):
        _, resp = await app.asgi_client.patch(
            url, json={"name": "Root"}, headers=bearer | {"if-match": empty}
        )
        assert resp.status == 412, resp.json

"""POST /api/v{1,2}/auth/token through the ASGI client."""

from __future__ import annotations

from typing import Any

import pytest
from app.auth.security import token_subject
from app.core.config import Settings
from sanic import Sanic

from tests.factories import PASSWORD, create_user


@pytest.mark.parametrize("version", ["v1", "v2"])
async def test_the_password_grant_issues_a_bearer_token(
    app: Sanic[Any, Any], settings: Settings, version: str
) -> None:
    user = (await create_user(settings, "tok@example.com")).user
    _, resp = await app.asgi_client.post(
        f"/api/{version}/auth/token",
        data={"grant_type": "password", "username": "tok@example.com", "password": PASSWORD},
    )
    assert resp.status == 200, resp.text
    assert resp.json["token_type"] == "bearer"
    assert resp.json["expires_in"] == 900
    assert resp.headers["cache-control"] == "no-store"
    assert token_subject(resp.json["access_token"], secret_key=settings.secret_key) == user.id
    bearer = {"authorization": f"Bearer {resp.json['access_token']}"}
    _, me = await app.asgi_client.get(f"/api/{version}/users/me", headers=bearer)
    assert me.status == 200


async def test_a_wrong_password_is_401_problem(app: Sanic[Any, Any], settings: Settings) -> None:
    await create_user(settings, "wrong@example.com")
    _, resp = await app.asgi_client.post(
        "/api/v2/auth/token", data={"username": "wrong@example.com", "password": "nope-nope"}
    )
    assert resp.status == 401
    assert resp.headers["content-type"] == "application/problem+json"
    assert resp.headers["www-authenticate"] == "Bearer"
    assert "access_token" not in resp.json


async def test_ten_failures_then_429_with_retry_after(
    app: Sanic[Any, Any], settings: Settings
) -> None:
    await create_user(settings, "rl@example.com")
    form = {"username": "rl@example.com", "password": "wrong-password"}
    for _ in range(10):
        _, resp = await app.asgi_client.post("/api/v1/auth/token", data=form)
        assert resp.status == 401
    _, resp = await app.asgi_client.post("/api/v1/auth/token", data=form | {"password": PASSWORD})
    assert resp.status == 429
    assert 1 <= int(resp.headers["retry-after"]) <= 60

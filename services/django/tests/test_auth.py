"""Tokens and the database-backed login rate limit."""

from __future__ import annotations

import time

import jwt
import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import create_v1, token_for

pytestmark = pytest.mark.django_db(transaction=True)
FORM = "application/x-www-form-urlencoded"


def test_token_claims_and_headers(client: Client, published: list[int]) -> None:
    user = create_v1(client, "tok@example.com").json()
    claims = jwt.decode(token_for(client, "tok@example.com"), settings.SECRET_KEY, ["HS256"])
    assert claims["sub"] == str(user["id"])
    assert claims["exp"] - claims["iat"] == settings.ACCESS_TOKEN_TTL.total_seconds()
    assert claims["jti"]


def test_alg_none_and_other_keys_are_rejected(client: Client, published: list[int]) -> None:
    user = create_v1(client, "forge@example.com").json()
    now = int(time.time())
    claims = {"sub": str(user["id"]), "iat": now, "exp": now + 60, "jti": "x"}
    for token in (
        jwt.encode(claims, None, algorithm="none"),
        jwt.encode(claims, "another-key-that-is-long-enough-for-hs256!", algorithm="HS256"),
    ):
        resp = client.get("/api/v2/users/me", headers={"Authorization": f"Bearer {token}"})
        assert resp.status_code == 401


def test_ten_failures_a_minute_then_429(client: Client, published: list[int]) -> None:
    create_v1(client, "limited@example.com")
    form = "username=LIMITED@example.com&password=wrong-password"
    for _ in range(10):
        resp = client.post("/api/v1/auth/token", form, content_type=FORM)
        assert resp.status_code == 401
        assert resp["Cache-Control"] == "no-store"
    right = "username=limited@example.com&password=correct-horse"
    resp = client.post("/api/v1/auth/token", right, content_type=FORM)
    assert resp.status_code == 429
    assert 1 <= int(resp["Retry-After"]) <= 60

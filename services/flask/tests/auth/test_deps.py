"""The bearer hook: which Authorization headers reach a protected view."""

from __future__ import annotations

import pytest
from app.auth.security import token_encode
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import create_user


@pytest.mark.parametrize(
    "authorization", ["", "Bearer", "Bearer   ", "Basic abc", "Bearer not-a-jwt"]
)
def test_a_missing_or_unusable_bearer_is_401(client: FlaskClient, authorization: str) -> None:
    resp = client.get("/api/v2/users/me", headers={"Authorization": authorization})
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"] == "Bearer"


def test_a_token_signed_with_another_key_is_401(app: Flask, client: FlaskClient) -> None:
    user = create_user(app).user
    forged = token_encode(user_id=user.id, secret_key="x" * 40, ttl_seconds=60).access_token
    resp = client.get("/api/v2/users/me", headers={"Authorization": f"Bearer {forged}"})
    assert resp.status_code == 401


def test_the_scheme_is_case_insensitive(app: Flask, client: FlaskClient) -> None:
    user = create_user(app, "scheme@example.com").user
    secret = app.config["SETTINGS"].secret_key
    token = token_encode(user_id=user.id, secret_key=secret, ttl_seconds=60).access_token
    resp = client.get("/api/v2/users/me", headers={"Authorization": f"bearer {token}"})
    assert resp.status_code == 200
    assert resp.get_json()["email"] == "scheme@example.com"

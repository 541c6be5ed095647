"""POST /api/v{1,2}/auth/token through the test client."""

from __future__ import annotations

import pytest
from app.auth.security import token_subject
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import PASSWORD, create_user, create_v1


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_the_password_grant_issues_a_bearer_token(
    app: Flask, client: FlaskClient, version: str
) -> None:
    user = create_user(app, "tok@example.com").user
    resp = client.post(
        f"/api/{version}/auth/token",
        data={"grant_type": "password", "username": "tok@example.com", "password": PASSWORD},
    )
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert resp.headers["Cache-Control"] == "no-store"
    secret = app.config["SETTINGS"].secret_key
    assert token_subject(body["access_token"], secret_key=secret) == user.id
    me = client.get(
        f"/api/{version}/users/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status_code == 200


def test_a_wrong_password_is_401_problem(app: Flask, client: FlaskClient) -> None:
    create_user(app, "wrong@example.com")
    resp = client.post(
        "/api/v2/auth/token", data={"username": "wrong@example.com", "password": "nope-nope"}
    )
    assert resp.status_code == 401
    assert resp.content_type == "application/problem+json"
    assert resp.get_json()["detail"] == "Incorrect email or password"
    assert resp.headers["WWW-Authenticate"] == "Bearer"
    assert "access_token" not in resp.get_json()


def test_a_repeated_form_field_is_invalid(client: FlaskClient) -> None:
    resp = client.post(
        "/api/v2/auth/token", data=b"username=a%40b.c&username=d%40e.f&password=x",
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert resp.status_code == 422
    assert [(e["field"], e["code"]) for e in resp.get_json()["errors"]] == [("username", "invalid")]


def test_rate_limit_after_ten_failures(client: FlaskClient) -> None:
    create_v1(client, "rl@example.com")
    form = {"username": "rl@example.com", "password": "wrong-password"}
    for _ in range(10):
        assert client.post("/api/v1/auth/token", data=form).status_code == 401
    resp = client.post("/api/v1/auth/token", data=form | {"password": PASSWORD})
    assert resp.status_code == 429
    assert 1 <= int(resp.headers["Retry-After"]) <= 60

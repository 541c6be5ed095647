"""POST /api/v{1,2}/auth/token: the token answer, refusals and the 429 with Retry-After."""

from __future__ import annotations

import jwt
import pytest
from django.conf import settings
from django.test import Client

from tests.factories import FORM, create_v1, token_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_token_claims_and_headers(client: Client, published: list[int]) -> None:
    user = create_v1(client, "tok@example.com").json()
    claims = jwt.decode(token_for(client, "tok@example.com"), settings.SECRET_KEY, ["HS256"])
    assert claims["sub"] == str(user["id"])
    assert claims["exp"] - claims["iat"] == settings.ACCESS_TOKEN_TTL.total_seconds()
    assert claims["jti"]


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


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_a_refused_login_is_401_with_the_bearer_challenge_and_no_store(
    client: Client, published: list[int], version: str
) -> None:
    create_v1(client, "who@example.com")
    for form in (
        "username=who@example.com&password=wrong-pass",
        "username=no@example.com&password=x",
    ):
        resp = client.post(f"/api/{version}/auth/token", form, content_type=FORM)
        assert resp.status_code == 401
        assert resp["WWW-Authenticate"] == "Bearer"
        assert resp["Cache-Control"] == "no-store"
        assert resp.json()["detail"] == "Incorrect email or password"


def test_the_token_answer_is_a_bearer_token_that_opens_users_me(
    client: Client, published: list[int]
) -> None:
    create_v1(client, "open@example.com")
    resp = client.post(
        "/api/v2/auth/token", "username=open@example.com&password=correct-horse", content_type=FORM
    )
    assert resp.status_code == 200
    assert resp["Cache-Control"] == "no-store"
    body = resp.json()
    assert body["token_type"].lower() == "bearer"
    assert body["expires_in"] == settings.ACCESS_TOKEN_TTL.total_seconds()
    me = client.get("/api/v2/users/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["email"] == "open@example.com"

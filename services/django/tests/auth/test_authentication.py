"""The bearer authentication: which Authorization headers reach a protected view."""

from __future__ import annotations

import pytest
from django.test import Client
from usersapi.users.models import Status, User

from tests.factories import access_token, create_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "authorization", ["", "Bearer", "Bearer   ", "Basic abc", "Bearer not-a-jwt"]
)
def test_a_missing_or_unusable_bearer_is_401(client: Client, authorization: str) -> None:
    resp = client.get("/api/v2/users/me", headers={"Authorization": authorization})
    assert resp.status_code == 401
    assert resp["WWW-Authenticate"] == "Bearer"
    assert resp["Content-Type"] == "application/problem+json"


def test_the_scheme_is_case_insensitive(client: Client) -> None:
    user = create_user("scheme@example.com")
    token = access_token(user.pk)
    resp = client.get("/api/v2/users/me", headers={"Authorization": f"bEaReR {token}"})
    assert resp.status_code == 200
    assert resp.json()["email"] == "scheme@example.com"


@pytest.mark.parametrize("gone", ["deleted", "disabled"])
def test_a_valid_token_of_a_user_no_longer_active_is_401(client: Client, gone: str) -> None:
    user = create_user()
    token = access_token(user.pk)
    users = User.objects.filter(pk=user.pk)
    users.delete() if gone == "deleted" else users.update(status=Status.DISABLED)
    resp = client.get("/api/v2/users/me", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 401

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from usersapi.core.models import Outbox
from usersapi.core.outbox import PUBLISHERS
from usersapi.users.services import WELCOME_EMAIL, admin_ensure

JSON = "application/json"
PASSWORD = "correct-horse"


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Outbox ids handed to the broker, without a broker."""
    sent: list[int] = []

    def publish(entry: Outbox) -> None:
        sent.append(entry.pk)

    monkeypatch.setitem(PUBLISHERS, WELCOME_EMAIL, publish)
    return sent


def create_v1(client: Client, email: str, password: str = PASSWORD, **extra: Any) -> Any:
    body = {"email": email, "full_name": "Test User", "password": password, **extra}
    return client.post("/api/v1/users", body, content_type=JSON)


def token_for(client: Client, email: str, password: str = PASSWORD) -> str:
    resp = client.post(
        "/api/v2/auth/token",
        f"username={email}&password={password}",
        content_type="application/x-www-form-urlencoded",
    )
    assert resp.status_code == 200, resp.content
    return str(resp.json()["access_token"])


@pytest.fixture
def admin_token(client: Client, db: None) -> str:
    admin_ensure(email="root@example.com", password="root-password", reset=True)
    return token_for(client, "root@example.com", "root-password")

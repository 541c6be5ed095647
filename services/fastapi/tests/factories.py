"""Test data builders: users through the public API, tokens, and a recording broker."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "admin-password-123"
PASSWORD = "correct-horse-battery"


@dataclass
class PublishedTasks:
    calls: list[tuple[str, int, str | None]] = field(default_factory=list)
    fail: bool = False

    def publish(self, task_name: str, message_id: int, request_id: str | None) -> None:
        if self.fail:
            raise ConnectionError("broker down")
        self.calls.append((task_name, message_id, request_id))


@dataclass
class TestUser:
    __test__ = False  # not a test class, despite the name

    id: int
    uuid: str
    email: str
    password: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def user_body(version: int = 1, **overrides: Any) -> dict[str, Any]:
    name_key = "full_name" if version == 1 else "name"
    body = {"email": unique_email(), name_key: "Ada Lovelace", "password": PASSWORD}
    body.update(overrides)
    return body


def login(client: TestClient, email: str, password: str) -> str:
    response = client.post("/api/v2/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def create_user(client: TestClient, **overrides: Any) -> TestUser:
    body = user_body(2, **overrides)
    response = client.post("/api/v2/users", json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    token = login(client, body["email"], body["password"])
    me = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"}).json()
    return TestUser(me["id"], created["id"], created["email"], body["password"], token)


def admin(client: TestClient) -> TestUser:
    token = login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    headers = {"Authorization": f"Bearer {token}"}
    me = client.get("/api/v2/users/me", headers=headers).json()
    v1 = client.get("/api/v1/users/me", headers=headers).json()
    return TestUser(v1["id"], me["id"], me["email"], ADMIN_PASSWORD, token)

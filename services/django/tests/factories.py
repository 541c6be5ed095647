"""Test data builders: users through the API or the service layer, bearer headers."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.test import Client
from usersapi.auth.security import token_encode
from usersapi.core.context import request_id_var
from usersapi.users.models import Role, User
from usersapi.users.services import NewUser, user_create

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
PASSWORD = "correct-horse"
ADMIN_EMAIL = "root@example.com"
ADMIN_PASSWORD = "root-password"


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def create_v1(client: Client, email: str, password: str = PASSWORD, **extra: Any) -> Any:
    """POST /api/v1/users; the response, whatever its status."""
    body = {"email": email, "full_name": "Test User", "password": password, **extra}
    return client.post("/api/v1/users", body, content_type=JSON)


def token_for(client: Client, email: str, password: str = PASSWORD) -> str:
    resp = client.post(
        "/api/v2/auth/token", f"username={email}&password={password}", content_type=FORM
    )
    assert resp.status_code == 200, resp.content
    return str(resp.json()["access_token"])


def access_token(user_id: int) -> str:
    """A valid token for `user_id`, without logging in."""
    ttl = int(settings.ACCESS_TOKEN_TTL.total_seconds())
    return token_encode(
        user_id=user_id, secret_key=settings.SECRET_KEY, ttl_seconds=ttl
    ).access_token


def bearer(client: Client, email: str, password: str = PASSWORD) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(client, email, password)}"}


def create_user(
    email: str | None = None,
    *,
    name: str = "Lin Service",
    role: Role = Role.USER,
    password: str = PASSWORD,
    welcome: bool = True,
) -> User:
    """A user written by the service layer (with its welcome job in the outbox)."""
    data = NewUser(email=email or unique_email(), full_name=name, password=password, role=role)
    return user_create(data=data, request_id=request_id_var.get(), send_welcome=welcome).user

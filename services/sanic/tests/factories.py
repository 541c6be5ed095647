"""Test data builders: users through the service layer or the API, bearer headers."""

from __future__ import annotations

import uuid
from typing import Any

from app.core.config import Settings
from app.core.db import create_engine, create_sessionmaker
from app.users import service
from app.users.models import Role
from sanic import Sanic

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "admin-password-1"
PASSWORD = "correct-horse-battery"
JSON = {"content-type": "application/json"}


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


async def token(app: Sanic[Any, Any], email: str, password: str) -> str:
    _, resp = await app.asgi_client.post(
        "/api/v2/auth/token", data={"username": email, "password": password}
    )
    assert resp.status == 200, resp.text
    assert resp.headers["cache-control"] == "no-store"
    return str(resp.json["access_token"])


async def bearer(app: Sanic[Any, Any], email: str, password: str = PASSWORD) -> dict[str, str]:
    return {"authorization": f"Bearer {await token(app, email, password)}"}


async def create_user(
    settings: Settings,
    email: str | None = None,
    *,
    name: str = "Lin Service",
    role: Role = Role.USER,
    request_id: str | None = "req-factory",
) -> service.UserCreated:
    """A user (and its welcome outbox row) written by the service layer."""
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            return await service.user_create(
                session=session,
                data=service.NewUser(
                    email=email or unique_email(), full_name=name, password=PASSWORD, role=role
                ),
                request_id=request_id,
            )
    finally:
        await engine.dispose()

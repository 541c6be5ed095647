"""Test data builders: users through the API or the service layer, bearer headers."""

from __future__ import annotations

import uuid
from typing import Any

from app.extensions import db
from app.users import service
from app.users.models import Role
from flask import Flask
from flask.testing import FlaskClient

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "admin-password-1"
PASSWORD = "correct-horse-battery"


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def bearer(client: FlaskClient, email: str, password: str) -> dict[str, str]:
    resp = client.post(
        "/api/v2/auth/token",
        data={"username": email, "password": password},
        content_type="application/x-www-form-urlencoded",
    )
    assert resp.status_code == 200, resp.get_json()
    return {"Authorization": f"Bearer {resp.get_json()['access_token']}"}


def create_v1(client: FlaskClient, email: str, name: str = "Ada Lovelace") -> dict[str, Any]:
    resp = client.post(
        "/api/v1/users", json={"email": email, "full_name": name, "password": PASSWORD}
    )
    assert resp.status_code == 201, resp.get_json()
    assert resp.headers["Location"] == f"/api/v1/users/{resp.get_json()['id']}"
    body: dict[str, Any] = resp.get_json()
    resp.close()  # the WSGI close runs the after-response publish
    return body


def create_v2(client: FlaskClient, email: str, name: str = "Grace Hopper") -> dict[str, Any]:
    resp = client.post("/api/v2/users", json={"email": email, "name": name, "password": PASSWORD})
    assert resp.status_code == 201, resp.get_json()
    body: dict[str, Any] = resp.get_json() | {"etag": resp.headers["ETag"]}
    resp.close()
    return body


def create_user(
    app: Flask,
    email: str | None = None,
    *,
    name: str = "Lin Service",
    role: str = "user",
    request_id: str = "req-factory",
) -> service.UserCreated:
    """A user written by the service layer (its welcome job published at once)."""
    with app.app_context():
        return service.user_create(
            session=db.session,
            data=service.NewUser(
                email=email or unique_email(), full_name=name, password=PASSWORD, role=Role(role)
            ),
            request_id=request_id,
        )

"""/api/v1/users through the Flask test client."""

from __future__ import annotations

from app.extensions import db
from app.outbox.models import OutboxMessage
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import PASSWORD, bearer, create_v1


def test_create_normalises_and_writes_the_outbox(app: Flask, client: FlaskClient) -> None:
    user = create_v1(client, "  Ada@Example.COM ", "  Ada  ")
    assert user["email"] == "ada@example.com"
    assert user["full_name"] == "Ada"
    assert user["is_active"] is True
    assert user["is_admin"] is False
    with app.app_context():
        message = db.session.scalars(select(OutboxMessage)).one()
        assert message.payload == {"email": "ada@example.com", "name": "Ada"}
        assert message.published_at is not None  # the memory broker accepted it after commit


def test_duplicate_email_is_409(client: FlaskClient) -> None:
    create_v1(client, "dup@example.com")
    resp = client.post(
        "/api/v2/users", json={"email": "DUP@example.com", "name": "X", "password": PASSWORD}
    )
    assert resp.status_code == 409
    assert resp.get_json()["detail"] == "Email already registered"


def test_validation_codes_are_the_contracts(client: FlaskClient) -> None:
    resp = client.post(
        "/api/v1/users",
        json={"email": "x" * 255, "full_name": "a\x00", "password": "short", "is_admin": True},
    )
    assert resp.status_code == 422
    body = resp.get_json()
    assert [(e["field"], e["code"]) for e in body["errors"]] == [
        ("email", "too_long"),
        ("full_name", "invalid"),
        ("is_admin", "unknown_field"),
        ("password", "too_short"),
    ]
    assert body["detail"] == "4 fields are invalid"


def test_query_validation(client: FlaskClient, admin_headers: dict[str, str]) -> None:
    resp = client.get("/api/v1/users?limit=0&offset=x", headers=admin_headers)
    assert [(e["in"], e["field"], e["code"]) for e in resp.get_json()["errors"]] == [
        ("query", "limit", "out_of_range"),
        ("query", "offset", "invalid"),
    ]
    resp = client.get("/api/v2/users?limit=1&limit=2", headers=admin_headers)
    assert resp.get_json()["errors"][0]["code"] == "invalid"


def test_non_admin_sees_only_itself(client: FlaskClient, admin_headers: dict[str, str]) -> None:
    alice = create_v1(client, "alice@example.com")
    bob = create_v1(client, "bob@example.com")
    headers = bearer(client, "alice@example.com", PASSWORD)
    assert client.get(f"/api/v1/users/{alice['id']}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/users/{bob['id']}", headers=headers).status_code == 404
    assert client.get("/api/v1/users", headers=headers).status_code == 403
    assert client.get("/api/v1/users", headers=admin_headers).get_json()["total"] == 3
    for bad in ("0", "01", "abc", str(2**63)):
        assert client.get(f"/api/v1/users/{bad}", headers=admin_headers).status_code == 404
    resp = client.patch(f"/api/v1/users/{alice['id']}", json={"is_active": True}, headers=headers)
    assert resp.status_code == 403


def test_delete_then_token_is_401(client: FlaskClient) -> None:
    user = create_v1(client, "gone@example.com")
    headers = bearer(client, "gone@example.com", PASSWORD)
    resp = client.delete(f"/api/v1/users/{user['id']}", headers=headers)
    assert resp.status_code == 204
    assert resp.data == b""
    assert "Content-Type" not in resp.headers
    assert client.get("/api/v1/users/me", headers=headers).status_code == 401

"""Users through the Flask test client: both versions over one service layer."""

from __future__ import annotations

from typing import Any

import pytest
from app.core.errors import NotFound, PreconditionFailed
from app.extensions import db
from app.users import service
from app.users.models import User
from app.worker.outbox import OutboxMessage
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select

from tests.conftest import ADMIN_EMAIL, bearer

PASSWORD = "correct-horse-battery"


def create_v1(client: FlaskClient, email: str, name: str = "Ada Lovelace") -> dict[str, Any]:
    resp = client.post(
        "/api/v1/users", json={"email": email, "full_name": name, "password": PASSWORD}
    )
    assert resp.status_code == 201, resp.get_json()
    assert resp.headers["Location"] == f"/api/v1/users/{resp.get_json()['id']}"
    body: dict[str, Any] = resp.get_json()
    resp.close()  # the WSGI close runs the after-response publish
    return body


def test_create_normalises_and_writes_the_outbox(app: Flask, client: FlaskClient) -> None:
    user = create_v1(client, "  Ada@Example.COM ", "  Ada  ")
    assert user["email"] == "ada@example.com"
    assert user["full_name"] == "Ada"
    assert user["is_active"] is True
    assert user["is_admin"] is False
    with app.app_context():
        message = db.session().scalars(select(OutboxMessage)).one()
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


def test_v2_patch_needs_a_matching_if_match(client: FlaskClient) -> None:
    resp = client.post(
        "/api/v2/users", json={"email": "g@example.com", "name": "Grace", "password": PASSWORD}
    )
    etag, user_id = resp.headers["ETag"], resp.get_json()["id"]
    assert etag == f'"{user_id}.1"'
    headers = bearer(client, "g@example.com", PASSWORD)
    url = f"/api/v2/users/{user_id}"
    assert client.patch(url, json={"name": "G"}, headers=headers).status_code == 428
    stale = headers | {"If-Match": '"nope"'}
    assert client.patch(url, json={"name": "G"}, headers=stale).status_code == 412
    ok = client.patch(url, json={"name": "G"}, headers=headers | {"If-Match": etag})
    assert ok.status_code == 200
    assert ok.headers["ETag"] == f'"{user_id}.2"'
    assert ok.get_json()["name"] == "G"
    noop = client.patch(url, json={}, headers=headers | {"If-Match": "*"})
    assert noop.headers["ETag"] == f'"{user_id}.2"'
    assert client.get(url.upper(), headers=headers).status_code == 404


def test_a_write_racing_a_patch_fails_v2_only(
    app: Flask, client: FlaskClient, admin_headers: dict[str, str]
) -> None:
    """A write committed between a PATCH's read and its UPDATE: v2 answers 412, v1 applies."""
    user_id = create_v1(client, "race@example.com")["id"]

    def write_behind(session_target: User) -> None:
        with db.standalone_session() as writer:
            other = writer.get(User, session_target.id)
            assert other is not None
            other.full_name = "Other Writer"
            other.version += 1
            writer.commit()

    with app.app_context(), db.standalone_session() as reader:
        actor = reader.scalars(select(User).where(User.email == ADMIN_EMAIL)).one()
        changes = service.UserChanges({"name": "Mine"})
        admin_only = frozenset({"status"})

        target = reader.get(User, user_id)
        assert target is not None
        etag = target.etag  # version 1
        write_behind(target)  # now version 2
        with pytest.raises(PreconditionFailed):
            service.user_update(
                session=reader, actor=actor, target=target, changes=changes,
                admin_only=admin_only, check_if_match=True, if_match=etag,
            )  # fmt: skip

        target = reader.get(User, user_id, populate_existing=True)
        assert target is not None
        assert target.version == 2
        write_behind(target)  # now version 3
        updated = service.user_update(
            session=reader, actor=actor, target=target, changes=changes, admin_only=admin_only
        )
        assert (updated.full_name, updated.version) == ("Mine", 4)

        with db.standalone_session() as writer:
            writer.execute(delete(User).where(User.id == user_id))
            writer.commit()
        with pytest.raises(NotFound):
            service.user_update(
                session=reader, actor=actor, target=updated, changes=changes, admin_only=admin_only
            )


def test_v2_keyset_walk_sees_everyone_once(
    client: FlaskClient, admin_headers: dict[str, str]
) -> None:
    for i in range(5):
        create_v1(client, f"walk{i}@example.com")
    seen: list[str] = []
    cursor = None
    while True:
        query = "/api/v2/users?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(query, headers=admin_headers).get_json()
        seen += [u["id"] for u in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 6
    bad = client.get("/api/v2/users?cursor=bm9wZQ", headers=admin_headers)
    assert bad.status_code == 400
    assert bad.get_json()["detail"] == "Cursor is not valid"


def test_delete_then_token_is_401(client: FlaskClient) -> None:
    user = create_v1(client, "gone@example.com")
    headers = bearer(client, "gone@example.com", PASSWORD)
    resp = client.delete(f"/api/v1/users/{user['id']}", headers=headers)
    assert resp.status_code == 204
    assert resp.data == b""
    assert "Content-Type" not in resp.headers
    assert client.get("/api/v1/users/me", headers=headers).status_code == 401


def test_rate_limit_after_ten_failures(client: FlaskClient) -> None:
    create_v1(client, "rl@example.com")
    form = {"username": "rl@example.com", "password": "wrong-password"}
    for _ in range(10):
        assert client.post("/api/v1/auth/token", data=form).status_code == 401
    resp = client.post("/api/v1/auth/token", data=form | {"password": PASSWORD})
    assert resp.status_code == 429
    assert 1 <= int(resp.headers["Retry-After"]) <= 60


def test_header_and_body_errors_come_together(client: FlaskClient) -> None:
    resp = client.post(
        "/api/v2/users", json={"email": "h@example.com", "name": "H", "password": PASSWORD}
    )
    headers = bearer(client, "h@example.com", PASSWORD) | {"If-Match": '"' + "x" * 256 + '"'}
    url = f"/api/v2/users/{resp.get_json()['id']}"
    only_header = client.patch(url, json={"name": "X"}, headers=headers)
    assert [(e["in"], e["code"]) for e in only_header.get_json()["errors"]] == [
        ("header", "too_long")
    ]
    both = client.patch(url, json={"email": "bad"}, headers=headers)
    assert [(e["in"], e["field"], e["code"]) for e in both.get_json()["errors"]] == [
        ("body", "email", "invalid"),
        ("header", "If-Match", "too_long"),
    ]

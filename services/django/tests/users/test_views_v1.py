"""v1 users routes: create (outbox, Location, 409) and who sees whom."""

from __future__ import annotations

import pytest
from django.test import Client
from usersapi.outbox.models import OutboxMessage

from tests.factories import JSON, create_v1, token_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_create_writes_the_outbox_and_publishes_after_commit(
    client: Client, published: list[int]
) -> None:
    resp = create_v1(client, "  Ada@Example.COM ")
    assert resp.status_code == 201
    user = resp.json()
    assert user["email"] == "ada@example.com"
    assert resp["Location"] == f"/api/v1/users/{user['id']}"
    entry = OutboxMessage.objects.get()
    assert entry.payload["email"] == "ada@example.com"
    assert entry.request_id == resp["X-Request-ID"]
    assert published == [entry.pk]
    entry.refresh_from_db()
    assert entry.published_at is not None
    assert create_v1(client, "ada@example.com").status_code == 409
    assert OutboxMessage.objects.count() == 1


def test_non_admin_sees_only_itself(client: Client, published: list[int]) -> None:
    alice = create_v1(client, "alice@example.com").json()
    bob = create_v1(client, "bob@example.com").json()
    auth = {"Authorization": f"Bearer {token_for(client, 'alice@example.com')}"}
    assert client.get(f"/api/v1/users/{alice['id']}", headers=auth).status_code == 200
    assert client.get(f"/api/v1/users/{bob['id']}", headers=auth).status_code == 404
    assert client.get("/api/v1/users/01", headers=auth).status_code == 404
    assert client.get(f"/api/v1/users/{2**63}", headers=auth).status_code == 404
    assert client.get("/api/v1/users", headers=auth).status_code == 403
    resp = client.patch(f"/api/v1/users/{alice['id']}", {"is_active": True}, JSON, headers=auth)
    assert resp.status_code == 403

"""Users through both versions over one service layer: visibility, ETags, keyset pages."""

from __future__ import annotations

import pytest
from django.test import Client
from usersapi.core.models import Outbox

from tests.conftest import JSON, create_v1, token_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_create_writes_the_outbox_and_publishes_after_commit(
    client: Client, published: list[int]
) -> None:
    resp = create_v1(client, "  Ada@Example.COM ")
    assert resp.status_code == 201
    user = resp.json()
    assert user["email"] == "ada@example.com"
    assert resp["Location"] == f"/api/v1/users/{user['id']}"
    entry = Outbox.objects.get()
    assert entry.payload["email"] == "ada@example.com"
    assert entry.request_id == resp["X-Request-ID"]
    assert published == [entry.pk]
    entry.refresh_from_db()
    assert entry.published_at is not None
    assert create_v1(client, "ada@example.com").status_code == 409
    assert Outbox.objects.count() == 1


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


def test_v2_patch_needs_a_matching_if_match(client: Client, published: list[int]) -> None:
    create_v1(client, "carol@example.com")
    auth = {"Authorization": f"Bearer {token_for(client, 'carol@example.com')}"}
    me = client.get("/api/v2/users/me", headers=auth)
    url, etag = f"/api/v2/users/{me.json()['id']}", me["ETag"]
    assert client.patch(url, {"name": "C"}, JSON, headers=auth).status_code == 428
    assert (
        client.patch(url, {"name": "C"}, JSON, headers={**auth, "If-Match": 'W/"x"'}).status_code
        == 412
    )
    resp = client.patch(url, {}, JSON, headers={**auth, "If-Match": etag})
    assert resp.status_code == 200
    assert resp["ETag"] == etag
    either = {**auth, "If-Match": f'"other", {etag}'}
    resp = client.patch(url, {"name": " Carol "}, JSON, headers=either)
    assert resp.status_code == 200
    assert resp.json()["name"] == "Carol"
    assert resp["ETag"] != etag
    assert (
        client.patch(url, {"name": "D"}, JSON, headers={**auth, "If-Match": etag}).status_code
        == 412
    )


def test_keyset_walk_sees_everyone_once(
    client: Client, admin_token: str, published: list[int]
) -> None:
    for n in range(5):
        create_v1(client, f"walk{n}@example.com")
    auth = {"Authorization": f"Bearer {admin_token}"}
    seen: list[str] = []
    url = "/api/v2/users?limit=2"
    while True:
        page = client.get(url, headers=auth).json()
        seen += [user["email"] for user in page["data"]]
        if page["next_cursor"] is None:
            break
        url = f"/api/v2/users?limit=2&cursor={page['next_cursor']}"
    assert len(seen) == len(set(seen)) == 6
    bad = client.get("/api/v2/users?cursor=bm90LWEtY3Vyc29y", headers=auth)
    assert bad.status_code == 400
    assert bad.json()["detail"] == "Cursor is not valid"

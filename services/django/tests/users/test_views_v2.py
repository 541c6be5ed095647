"""v2 users routes: If-Match on PATCH and keyset pages."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import JSON, create_v1, token_for

pytestmark = pytest.mark.django_db(transaction=True)


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

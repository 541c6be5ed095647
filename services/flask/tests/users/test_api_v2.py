"""/api/v2/users through the Flask test client: ETags, If-Match, keyset pages."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.factories import PASSWORD, bearer, create_v1


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
    for empty in ("", " "):  # matches no ETag: 412, not a 422 (only over 256 characters is)
        resp = client.patch(url, json={}, headers=headers | {"If-Match": empty})
        assert resp.status_code == 412, resp.get_json()
    ok = client.patch(url, json={"name": "G"}, headers=headers | {"If-Match": etag})
    assert ok.status_code == 200
    assert ok.headers["ETag"] == f'"{user_id}.2"'
    assert ok.get_json()["name"] == "G"
    noop = client.patch(url, json={}, headers=headers | {"If-Match": "*"})
    assert noop.headers["ETag"] == f'"{user_id}.2"'
    assert client.get(url.upper(), headers=headers).status_code == 404


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

from fastapi.testclient import TestClient

from tests.factories import admin, create_user, user_body


def test_create_returns_etag_and_location(client: TestClient) -> None:
    response = client.post("/api/v2/users", json=user_body(2))
    assert response.status_code == 201
    user = response.json()
    assert response.headers["ETag"] == f'"{user["id"]}.1"'
    assert response.headers["Location"] == f"/api/v2/users/{user['id']}"
    assert user["created_at"] == user["updated_at"]
    assert user["created_at"].endswith("Z")


def test_patch_requires_a_matching_if_match(client: TestClient) -> None:
    carol = create_user(client)
    url = f"/api/v2/users/{carol.uuid}"
    assert client.patch(url, json={"name": "C"}, headers=carol.headers).status_code == 428
    stale = carol.headers | {"If-Match": f'"{carol.uuid}.9"'}
    assert client.patch(url, json={"name": "C"}, headers=stale).status_code == 412
    weak = carol.headers | {"If-Match": f'W/"{carol.uuid}.1"'}
    assert client.patch(url, json={"name": "C"}, headers=weak).status_code == 412
    listed = carol.headers | {"If-Match": f'"x", "{carol.uuid}.1"'}
    response = client.patch(url, json={"name": "Carol"}, headers=listed)
    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{carol.uuid}.2"'


def test_empty_patch_keeps_the_etag(client: TestClient) -> None:
    carol = create_user(client)
    response = client.patch(
        f"/api/v2/users/{carol.uuid}", json={}, headers=carol.headers | {"If-Match": "*"}
    )
    assert response.headers["ETag"] == f'"{carol.uuid}.1"'


def test_role_change_is_admin_only_and_checked_before_if_match(client: TestClient) -> None:
    carol = create_user(client)
    response = client.patch(
        f"/api/v2/users/{carol.uuid}", json={"role": "user"}, headers=carol.headers
    )
    assert response.status_code == 403


def test_keyset_walk_sees_everyone_once(client: TestClient) -> None:
    root = admin(client)
    created = {create_user(client).uuid for _ in range(5)}
    seen: list[str] = []
    cursor = None
    while True:
        query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(f"/api/v2/users?{query}", headers=root.headers).json()
        seen += [u["id"] for u in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 6
    assert created <= set(seen)


def test_list_filters_and_bad_cursor(client: TestClient) -> None:
    root = admin(client)
    carol = create_user(client)
    by_email = client.get(
        f"/api/v2/users?email=%20{carol.email.upper()}%20", headers=root.headers
    ).json()
    assert [u["id"] for u in by_email["data"]] == [carol.uuid]
    bad = client.get("/api/v2/users?cursor=bm9wZQ", headers=root.headers)
    assert bad.status_code == 400
    assert bad.json()["detail"] == "Cursor is not valid"


def test_non_canonical_uuid_is_404(client: TestClient) -> None:
    carol = create_user(client)
    response = client.get(f"/api/v2/users/{carol.uuid.upper()}", headers=carol.headers)
    assert response.status_code == 404


def test_overlong_if_match_is_reported_with_the_body_errors(client: TestClient) -> None:
    carol = create_user(client)
    headers = carol.headers | {"If-Match": '"' + "x" * 255 + '"'}
    response = client.patch(f"/api/v2/users/{carol.uuid}", json={"email": "bad"}, headers=headers)
    assert response.status_code == 422
    errors = [(e["in"], e["field"], e["code"]) for e in response.json()["errors"]]
    assert errors == [("body", "email", "invalid"), ("header", "If-Match", "too_long")]

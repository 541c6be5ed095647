from fastapi.testclient import TestClient

from tests.factories import PublishedTasks, admin, create_user, user_body


def test_create_returns_user_location_and_deprecation(
    client: TestClient, published: PublishedTasks
) -> None:
    body = user_body(1, email="  Grace@Example.com ")
    response = client.post("/api/v1/users", json=body)
    assert response.status_code == 201
    user = response.json()
    assert user["email"] == "grace@example.com"
    assert set(user) == {"id", "email", "full_name", "is_active", "is_admin", "created_at"}
    assert response.headers["Location"] == f"/api/v1/users/{user['id']}"
    assert response.headers["Deprecation"] == "@1767225600"
    assert [name for name, _, _ in published.calls] == ["users.send_welcome_email"]


def test_duplicate_email_is_409(client: TestClient) -> None:
    body = user_body(1)
    assert client.post("/api/v1/users", json=body).status_code == 201
    body["email"] = body["email"].upper()
    response = client.post("/api/v1/users", json=body)
    assert response.status_code == 409
    assert response.json()["detail"] == "Email already registered"


def test_unknown_fields_are_rejected_not_assigned(client: TestClient) -> None:
    response = client.post("/api/v1/users", json=user_body(1, is_admin=True, id=1))
    assert response.status_code == 422
    errors = [(e["field"], e["code"]) for e in response.json()["errors"]]
    assert errors == [("id", "unknown_field"), ("is_admin", "unknown_field")]


def test_non_admin_sees_only_itself(client: TestClient) -> None:
    alice, bob = create_user(client), create_user(client)
    assert client.get(f"/api/v1/users/{alice.id}", headers=alice.headers).status_code == 200
    assert client.get(f"/api/v1/users/{bob.id}", headers=alice.headers).status_code == 404
    assert client.get("/api/v1/users", headers=alice.headers).status_code == 403


def test_malformed_ids_are_404(client: TestClient) -> None:
    root = admin(client)
    for raw in ("0", "01", "abc", "9223372036854775808", "-1", "1.0"):
        response = client.get(f"/api/v1/users/{raw}", headers=root.headers)
        assert response.status_code == 404, raw


def test_is_active_is_admin_only(client: TestClient) -> None:
    alice = create_user(client)
    url = f"/api/v1/users/{alice.id}"
    assert client.patch(url, json={"is_active": True}, headers=alice.headers).status_code == 403
    root = admin(client)
    response = client.patch(url, json={"is_active": False}, headers=root.headers)
    assert response.json()["is_active"] is False
    # A disabled user's token stops working.
    assert client.get("/api/v1/users/me", headers=alice.headers).status_code == 401


def test_admin_lists_with_offset_and_total(client: TestClient) -> None:
    root = admin(client)
    create_user(client)
    create_user(client)
    page = client.get("/api/v1/users?offset=1&limit=1", headers=root.headers).json()
    assert (page["total"], page["offset"], page["limit"], len(page["items"])) == (3, 1, 1, 1)


def test_list_query_rules(client: TestClient) -> None:
    root = admin(client)
    response = client.get("/api/v1/users?limit=0&offset=x&offset=1", headers=root.headers)
    assert response.status_code == 422
    errors = [(e["in"], e["field"], e["code"]) for e in response.json()["errors"]]
    assert errors == [("query", "limit", "out_of_range"), ("query", "offset", "invalid")]


def test_delete_then_email_is_free_and_id_is_not_reused(client: TestClient) -> None:
    alice = create_user(client)
    assert client.delete(f"/api/v1/users/{alice.id}", headers=alice.headers).status_code == 204
    again = client.post("/api/v1/users", json=user_body(1, email=alice.email))
    assert again.status_code == 201
    assert again.json()["id"] != alice.id

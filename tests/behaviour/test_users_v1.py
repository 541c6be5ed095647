"""v1 users: sequential ids, offset pagination, deprecation headers on every answer."""

from __future__ import annotations

import httpx
import pytest

from tests.support.assertions import (
    TOKEN_UNAUTHORIZED,
    V1_HEADERS,
    assert_json,
    assert_no_content,
    assert_problem,
    assert_user_v1,
    assert_validation,
)
from tests.support.users import ApiUser, UserFactory, login, unique_email


@pytest.fixture(scope="module")
def alice(users: UserFactory) -> ApiUser:
    return users.create(prefix="v1-alice", name="Alice Example")


@pytest.fixture(scope="module")
def bob(users: UserFactory) -> ApiUser:
    return users.create(prefix="v1-bob", name="Bob Example")


def test_create_returns_the_user_and_its_location(api: httpx.Client) -> None:
    email = unique_email("v1-create")
    resp = api.post(
        "/api/v1/users",
        json={"email": email, "full_name": "Ada Lovelace", "password": "correct-horse-battery"},
    )
    body = assert_json(resp, 201)
    assert_user_v1(body, email=email, full_name="Ada Lovelace")
    assert resp.headers["Location"] == f"/api/v1/users/{body['id']}"


def test_create_normalises_email_and_name(api: httpx.Client, admin_headers: dict[str, str]) -> None:
    email = unique_email("v1-norm")
    resp = api.post(
        "/api/v1/users",
        json={
            "email": f"  {email.upper()}\u2003",
            "full_name": "\u2003 Ada  Lovelace ",
            "password": "  padded password  ",
        },
    )
    body = assert_json(resp, 201)
    assert_user_v1(body, email=email, full_name="Ada  Lovelace")
    fetched = assert_json(api.get(f"/api/v1/users/{body['id']}", headers=admin_headers), 200)
    assert fetched == body
    # The password is kept as sent, spaces included.
    login(api, email, "  padded password  ")
    resp = api.post("/api/v2/auth/token", data={"username": email, "password": "padded password"})
    assert_problem(resp, 401, "/problems/unauthorized", TOKEN_UNAUTHORIZED)


def test_me_and_get_self(api: httpx.Client, alice: ApiUser) -> None:
    me = assert_json(api.get("/api/v1/users/me", headers=alice.headers), 200)
    assert_user_v1(me, email=alice.email, full_name="Alice Example", id_=alice.id)
    by_id = assert_json(api.get(f"/api/v1/users/{alice.id}", headers=alice.headers), 200)
    assert by_id == me


def test_admin_gets_any_user(
    api: httpx.Client, alice: ApiUser, admin_headers: dict[str, str]
) -> None:
    body = assert_json(api.get(f"/api/v1/users/{alice.id}", headers=admin_headers), 200)
    assert_user_v1(body, email=alice.email, full_name="Alice Example", id_=alice.id)


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_another_users_id_is_404_to_a_non_admin(
    api: httpx.Client, alice: ApiUser, bob: ApiUser, admin_headers: dict[str, str], method: str
) -> None:
    body = {"full_name": "Mallory"} if method == "PATCH" else None
    resp = api.request(method, f"/api/v1/users/{bob.id}", headers=alice.headers, json=body)
    assert_problem(resp, 404, "/problems/not-found")
    # Bob is untouched.
    after = assert_json(api.get(f"/api/v1/users/{bob.id}", headers=admin_headers), 200)
    assert after["full_name"] == "Bob Example"


def test_non_admin_sees_an_unknown_id_exactly_like_another_users(
    api: httpx.Client, alice: ApiUser, bob: ApiUser
) -> None:
    other = api.get(f"/api/v1/users/{bob.id}", headers=alice.headers).json()
    missing = api.get("/api/v1/users/9223372036854775807", headers=alice.headers).json()
    for body in (other, missing):
        body.pop("request_id")
        body.pop("instance")
    assert other == missing


@pytest.mark.parametrize(
    "raw_id",
    [
        "9223372036854775807",
        "9223372036854775808",
        "99999999999999999999",
        "0",
        "01",
        "-1",
        "abc",
        "1.0",
        "1e3",
        "+1",
        "%201",
        "1%20",
    ],
)
def test_unknown_or_malformed_id_is_404(
    api: httpx.Client, admin_headers: dict[str, str], raw_id: str
) -> None:
    for method in ("GET", "DELETE"):
        resp = api.request(method, f"/api/v1/users/{raw_id}", headers=admin_headers)
        assert_problem(resp, 404, "/problems/not-found")
    resp = api.patch(f"/api/v1/users/{raw_id}", headers=admin_headers, json={"full_name": "X"})
    assert_problem(resp, 404, "/problems/not-found")


# ---- list ----


def test_list_is_admin_only(api: httpx.Client, alice: ApiUser) -> None:
    assert_problem(api.get("/api/v1/users", headers=alice.headers), 403, "/problems/forbidden")


def test_list_defaults_and_order(api: httpx.Client, admin_headers: dict[str, str]) -> None:
    body = assert_json(api.get("/api/v1/users", headers=admin_headers), 200)
    assert set(body) == {"items", "total", "offset", "limit"}
    assert body["offset"] == 0
    assert body["limit"] == 20
    assert body["total"] >= 1
    assert len(body["items"]) == min(20, body["total"])
    ids = [item["id"] for item in body["items"]]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_list_pages_with_offset_and_limit(
    api: httpx.Client, users: UserFactory, admin_headers: dict[str, str]
) -> None:
    mine = [users.create(prefix=f"v1-page{i}") for i in range(3)]
    first = assert_json(api.get("/api/v1/users", params={"limit": 1}, headers=admin_headers), 200)
    total = first["total"]
    assert first["limit"] == 1
    resp = api.get(
        "/api/v1/users", params={"offset": total - 3, "limit": 100}, headers=admin_headers
    )
    page = assert_json(resp, 200)
    assert page["total"] == total
    assert page["offset"] == total - 3
    assert page["limit"] == 100
    # The three newest users are mine, in creation (= id) order.
    assert [item["email"] for item in page["items"]] == [u.email for u in mine]
    assert [item["id"] for item in page["items"]] == [u.id for u in mine]
    for item, user in zip(page["items"], mine, strict=True):
        assert_user_v1(item, email=user.email, full_name=user.name, id_=user.id)
    # A two-item window over the same rows.
    resp = api.get("/api/v1/users", params={"offset": total - 2, "limit": 2}, headers=admin_headers)
    assert [item["id"] for item in assert_json(resp, 200)["items"]] == [mine[1].id, mine[2].id]
    # Past the end: empty page, same total.
    resp = api.get("/api/v1/users", params={"offset": total + 5}, headers=admin_headers)
    past = assert_json(resp, 200)
    assert past == {"items": [], "total": total, "offset": total + 5, "limit": 20}


def test_full_walk_counts_total(api: httpx.Client, admin_headers: dict[str, str]) -> None:
    seen: list[int] = []
    total = None
    for offset in range(0, 100_000, 100):
        resp = api.get(
            "/api/v1/users", params={"offset": offset, "limit": 100}, headers=admin_headers
        )
        page = assert_json(resp, 200)
        total = page["total"]
        seen.extend(item["id"] for item in page["items"])
        if offset + 100 >= total:
            break
    assert len(seen) == total
    assert seen == sorted(set(seen))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("limit=0", [("query", "limit", "out_of_range")]),
        ("limit=101", [("query", "limit", "out_of_range")]),
        ("limit=-1", [("query", "limit", "out_of_range")]),
        ("limit=abc", [("query", "limit", "invalid")]),
        ("limit=1.5", [("query", "limit", "invalid")]),
        ("limit=", [("query", "limit", "invalid")]),
        ("limit=%2B5", [("query", "limit", "invalid")]),
        ("limit=1&limit=2", [("query", "limit", "invalid")]),
        ("offset=-1", [("query", "offset", "out_of_range")]),
        ("offset=9223372036854775808", [("query", "offset", "out_of_range")]),
        ("offset=x", [("query", "offset", "invalid")]),
        ("offset=0&offset=0", [("query", "offset", "invalid")]),
        (
            "offset=-1&limit=abc",
            [("query", "limit", "invalid"), ("query", "offset", "out_of_range")],
        ),
    ],
)
def test_list_query_validation(
    api: httpx.Client,
    admin_headers: dict[str, str],
    params: str,
    expected: list[tuple[str, str, str]],
) -> None:
    assert_validation(api.get(f"/api/v1/users?{params}", headers=admin_headers), expected)


def test_list_accepts_bounds_and_ignores_unknown_params(
    api: httpx.Client, admin_headers: dict[str, str]
) -> None:
    resp = api.get("/api/v1/users?limit=100&offset=0&sort=email&foo=bar", headers=admin_headers)
    body = assert_json(resp, 200)
    assert (body["offset"], body["limit"]) == (0, 100)
    assert_json(api.get("/api/v1/users?limit=1", headers=admin_headers), 200)


# ---- update ----


def test_patch_updates_own_fields(api: httpx.Client, users: UserFactory) -> None:
    me = users.create(prefix="v1-patch", name="Before Name")
    new_email = unique_email("v1-patched")
    resp = api.patch(
        f"/api/v1/users/{me.id}",
        json={
            "full_name": " After Name ",
            "email": new_email.upper(),
            "password": "new-password-1",
        },
        headers=me.headers,
    )
    body = assert_json(resp, 200)
    assert_user_v1(body, email=new_email, full_name="After Name", id_=me.id)
    assert assert_json(api.get("/api/v1/users/me", headers=me.headers), 200) == body
    login(api, new_email, "new-password-1")
    old = api.post("/api/v2/auth/token", data={"username": new_email, "password": me.password})
    assert_problem(old, 401, "/problems/unauthorized", TOKEN_UNAUTHORIZED)
    gone = api.post("/api/v2/auth/token", data={"username": me.email, "password": "new-password-1"})
    assert_problem(gone, 401, "/problems/unauthorized", TOKEN_UNAUTHORIZED)


def test_empty_patch_is_a_no_op(api: httpx.Client, alice: ApiUser) -> None:
    before = assert_json(api.get("/api/v1/users/me", headers=alice.headers), 200)
    after = assert_json(api.patch(f"/api/v1/users/{alice.id}", json={}, headers=alice.headers), 200)
    assert after == before


@pytest.mark.parametrize("value", [True, False])
def test_is_active_is_admin_only(api: httpx.Client, alice: ApiUser, value: bool) -> None:
    resp = api.patch(f"/api/v1/users/{alice.id}", json={"is_active": value}, headers=alice.headers)
    assert_problem(resp, 403, "/problems/forbidden")
    assert assert_json(api.get("/api/v1/users/me", headers=alice.headers), 200)["is_active"] is True


def test_admin_disables_and_enables(
    api: httpx.Client, users: UserFactory, admin_headers: dict[str, str]
) -> None:
    target = users.create(prefix="v1-toggle")
    url = f"/api/v1/users/{target.id}"
    off = assert_json(api.patch(url, json={"is_active": False}, headers=admin_headers), 200)
    assert_user_v1(off, email=target.email, full_name=target.name, is_active=False, id_=target.id)
    assert_problem(
        api.get("/api/v1/users/me", headers=target.headers), 401, "/problems/unauthorized"
    )
    on = assert_json(api.patch(url, json={"is_active": True}, headers=admin_headers), 200)
    assert on["is_active"] is True
    assert assert_json(api.get("/api/v1/users/me", headers=target.headers), 200) == on


def test_admin_updates_another_user(
    api: httpx.Client, users: UserFactory, admin_headers: dict[str, str]
) -> None:
    target = users.create(prefix="v1-admin-edit")
    resp = api.patch(
        f"/api/v1/users/{target.id}", json={"full_name": "Renamed"}, headers=admin_headers
    )
    assert_user_v1(assert_json(resp, 200), email=target.email, full_name="Renamed", id_=target.id)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"is_admin": True}, [("body", "is_admin", "unknown_field")]),
        ({"role": "admin"}, [("body", "role", "unknown_field")]),
        ({"id": 1}, [("body", "id", "unknown_field")]),
        (
            {"is_admin": True, "id": 1, "created_at": "2020-01-01T00:00:00.000000Z"},
            [
                ("body", "created_at", "unknown_field"),
                ("body", "id", "unknown_field"),
                ("body", "is_admin", "unknown_field"),
            ],
        ),
    ],
)
def test_mass_assignment_is_rejected(
    api: httpx.Client,
    alice: ApiUser,
    extra: dict[str, object],
    expected: list[tuple[str, str, str]],
) -> None:
    email = unique_email("v1-mass")
    create = {"email": email, "full_name": "Eve", "password": "correct-horse-battery"} | extra
    assert_validation(api.post("/api/v1/users", json=create), expected)
    resp = api.patch(f"/api/v1/users/{alice.id}", json=extra, headers=alice.headers)
    assert_validation(resp, expected)
    me = assert_json(api.get("/api/v1/users/me", headers=alice.headers), 200)
    assert me["is_admin"] is False
    assert me["id"] == alice.id


def test_patch_to_a_taken_email_is_409(api: httpx.Client, alice: ApiUser, bob: ApiUser) -> None:
    resp = api.patch(
        f"/api/v1/users/{alice.id}", json={"email": bob.email.upper()}, headers=alice.headers
    )
    assert_problem(resp, 409, "/problems/conflict")


def test_patch_to_own_email_is_fine(api: httpx.Client, alice: ApiUser) -> None:
    resp = api.patch(
        f"/api/v1/users/{alice.id}", json={"email": alice.email}, headers=alice.headers
    )
    assert assert_json(resp, 200)["email"] == alice.email


# ---- delete ----


def test_delete_self(api: httpx.Client, users: UserFactory, admin_headers: dict[str, str]) -> None:
    me = users.create(prefix="v1-delete")
    assert_no_content(api.delete(f"/api/v1/users/{me.id}", headers=me.headers))
    assert_problem(
        api.get(f"/api/v1/users/{me.id}", headers=admin_headers), 404, "/problems/not-found"
    )
    assert_problem(api.get("/api/v1/users/me", headers=me.headers), 401, "/problems/unauthorized")
    resp = api.delete(f"/api/v1/users/{me.id}", headers=admin_headers)
    assert_problem(resp, 404, "/problems/not-found")
    # Hard delete: the email can be registered again, with a new id.
    again = api.post(
        "/api/v1/users", json={"email": me.email, "full_name": "Again", "password": me.password}
    )
    assert assert_json(again, 201)["id"] != me.id


def test_admin_deletes_another_user(
    api: httpx.Client, users: UserFactory, admin_headers: dict[str, str]
) -> None:
    target = users.create(prefix="v1-admin-delete")
    assert_no_content(api.delete(f"/api/v1/users/{target.id}", headers=admin_headers))
    resp = api.delete(f"/api/v1/users/{target.id}", headers=admin_headers)
    assert_problem(resp, 404, "/problems/not-found")


# ---- deprecation headers on every kind of answer (assert_* check them on /api/v1/ paths) ----


def test_deprecation_headers_on_errors_and_unknown_v1_paths(
    api: httpx.Client, alice: ApiUser
) -> None:
    responses = [
        api.get("/api/v1/nope"),
        api.get("/api/v1/users/me/extra"),
        api.put("/api/v1/users"),
        api.get("/api/v1/users/me"),
        api.post("/api/v1/users", json=[]),
        api.post("/api/v1/users", content=b"{", headers={"Content-Type": "application/json"}),
        api.post("/api/v1/users", content=b"{}", headers={"Content-Type": "text/plain"}),
        api.post("/api/v1/auth/token", data={"username": "x@example.com", "password": "nope-nope"}),
        api.get("/api/v1/users", headers=alice.headers),
    ]
    for resp in responses:
        assert resp.status_code >= 400
        for name, value in V1_HEADERS.items():
            assert resp.headers.get(name) == value, (name, resp.status_code, resp.request.url)

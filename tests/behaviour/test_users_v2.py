"""v2 users: UUID ids, ETag / If-Match, keyset pagination, the same stored users as v1."""

from __future__ import annotations

import base64

import httpx
import pytest

from tests.support.assertions import (
    BAD_CURSOR,
    TIMESTAMP,
    UUID_CANONICAL,
    assert_json,
    assert_no_content,
    assert_problem,
    assert_user_v1,
    assert_user_v2,
    assert_validation,
    etag_for,
)
from tests.support.users import ApiUser, UserFactory, login, unique_email


@pytest.fixture(scope="module")
def carol(users: UserFactory) -> ApiUser:
    return users.create(version=2, prefix="v2-carol", name="Carol Example")


@pytest.fixture(scope="module")
def dave(users: UserFactory) -> ApiUser:
    return users.create(version=2, prefix="v2-dave", name="Dave Example")


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def unb64(text: str) -> str:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()


def test_create_returns_user_location_and_etag(api: httpx.Client) -> None:
    email = unique_email("v2-create")
    resp = api.post(
        "/api/v2/users",
        json={"email": email, "name": "Grace Hopper", "password": "correct-horse-battery"},
    )
    body = assert_json(resp, 201)
    assert_user_v2(body, email=email, name="Grace Hopper")
    assert body["created_at"] == body["updated_at"]
    assert resp.headers["Location"] == f"/api/v2/users/{body['id']}"
    assert resp.headers["ETag"] == etag_for(body["id"], 1)


def test_get_me_and_by_id_carry_the_etag(api: httpx.Client, carol: ApiUser) -> None:
    me = api.get("/api/v2/users/me", headers=carol.headers)
    body = assert_json(me, 200)
    assert_user_v2(body, email=carol.email, name="Carol Example", id_=carol.uuid)
    by_id = api.get(f"/api/v2/users/{carol.uuid}", headers=carol.headers)
    assert assert_json(by_id, 200) == body
    assert me.headers["ETag"] == by_id.headers["ETag"]
    assert me.headers["ETag"].startswith(f'"{carol.uuid}.')


def test_another_users_uuid_is_404_to_a_non_admin(
    api: httpx.Client, carol: ApiUser, dave: ApiUser
) -> None:
    url = f"/api/v2/users/{dave.uuid}"
    assert_problem(api.get(url, headers=carol.headers), 404, "/problems/not-found")
    resp = api.patch(url, json={"name": "X"}, headers=carol.headers | {"If-Match": "*"})
    assert_problem(resp, 404, "/problems/not-found")
    assert_problem(api.delete(url, headers=carol.headers), 404, "/problems/not-found")


@pytest.mark.parametrize(
    "raw_id",
    [
        "00000000-0000-4000-8000-000000000000",
        "not-a-uuid",
        "1",
        "00000000000040008000000000000000",
        "00000000-0000-4000-8000-00000000000g",
        "{00000000-0000-4000-8000-000000000000}",
        "00000000-0000-4000-8000-00000000000%20",
        "00000000-0000-4000-8000-0000000000000",
        "00000000-0000-4000-8000-00000000000",
    ],
)
def test_unknown_or_malformed_uuid_is_404(
    api: httpx.Client, admin_headers: dict[str, str], raw_id: str
) -> None:
    url = f"/api/v2/users/{raw_id}"
    assert_problem(api.get(url, headers=admin_headers), 404, "/problems/not-found")
    assert_problem(api.delete(url, headers=admin_headers), 404, "/problems/not-found")
    resp = api.patch(url, json={"name": "X"}, headers=admin_headers | {"If-Match": "*"})
    assert_problem(resp, 404, "/problems/not-found")


def test_upper_case_uuid_is_404(api: httpx.Client, carol: ApiUser) -> None:
    resp = api.get(f"/api/v2/users/{carol.uuid.upper()}", headers=carol.headers)
    assert_problem(resp, 404, "/problems/not-found")


# ---- ETag / If-Match ----


def test_patch_needs_if_match(api: httpx.Client, users: UserFactory) -> None:
    me = users.create(version=2, prefix="v2-428")
    url = f"/api/v2/users/{me.uuid}"
    assert_problem(
        api.patch(url, json={"name": "New"}, headers=me.headers),
        428,
        "/problems/precondition-required",
    )
    assert_problem(
        api.patch(url, json={}, headers=me.headers), 428, "/problems/precondition-required"
    )
    assert assert_json(api.get(url, headers=me.headers), 200)["name"] == me.name


def test_patch_bumps_the_version_and_rejects_stale_etags(
    api: httpx.Client, users: UserFactory
) -> None:
    me = users.create(version=2, prefix="v2-etag", name="First")
    url = f"/api/v2/users/{me.uuid}"
    created = api.get(url, headers=me.headers)
    v1 = created.headers["ETag"]
    assert v1 == etag_for(me.uuid, 1)
    resp = api.patch(url, json={"name": "Second"}, headers=me.headers | {"If-Match": v1})
    body = assert_json(resp, 200)
    assert_user_v2(body, email=me.email, name="Second", id_=me.uuid)
    v2 = resp.headers["ETag"]
    assert v2 == etag_for(me.uuid, 2)
    assert body["updated_at"] > body["created_at"]
    assert body["created_at"] == created.json()["created_at"]
    assert api.get(url, headers=me.headers).headers["ETag"] == v2
    # The stale tag loses: no lost update.
    stale = api.patch(url, json={"name": "Lost"}, headers=me.headers | {"If-Match": v1})
    assert_problem(stale, 412, "/problems/precondition-failed")
    assert assert_json(api.get(url, headers=me.headers), 200)["name"] == "Second"
    # Equal values still count as an update.
    same = api.patch(url, json={"name": "Second"}, headers=me.headers | {"If-Match": v2})
    assert_json(same, 200)
    assert same.headers["ETag"] == etag_for(me.uuid, 3)


def test_empty_patch_keeps_the_etag(api: httpx.Client, carol: ApiUser) -> None:
    url = f"/api/v2/users/{carol.uuid}"
    before = api.get(url, headers=carol.headers)
    resp = api.patch(url, json={}, headers=carol.headers | {"If-Match": before.headers["ETag"]})
    assert assert_json(resp, 200) == before.json()
    assert resp.headers["ETag"] == before.headers["ETag"]


def test_if_match_star_and_lists(api: httpx.Client, users: UserFactory) -> None:
    me = users.create(version=2, prefix="v2-star")
    url = f"/api/v2/users/{me.uuid}"
    resp = api.patch(url, json={"name": "Starred"}, headers=me.headers | {"If-Match": "*"})
    assert assert_json(resp, 200)["name"] == "Starred"
    assert resp.headers["ETag"] == etag_for(me.uuid, 2)
    listed = f'"{me.uuid}.1", {etag_for(me.uuid, 2)}'
    resp = api.patch(url, json={"name": "Listed"}, headers=me.headers | {"If-Match": listed})
    assert resp.headers.get("ETag") == etag_for(me.uuid, 3)
    assert assert_json(resp, 200)["name"] == "Listed"
    for bad in (f"W/{etag_for(me.uuid, 3)}", f"{me.uuid}.3", '"other"', f'"{me.uuid}.1", "x"'):
        resp = api.patch(url, json={"name": "Nope"}, headers=me.headers | {"If-Match": bad})
        assert_problem(resp, 412, "/problems/precondition-failed")


def test_if_match_longer_than_256_is_422(api: httpx.Client, carol: ApiUser) -> None:
    url = f"/api/v2/users/{carol.uuid}"
    long_tag = '"' + "x" * 255 + '"'
    resp = api.patch(url, json={"name": "X"}, headers=carol.headers | {"If-Match": long_tag})
    assert_validation(resp, [("header", "If-Match", "too_long")])
    resp = api.patch(url, json={"email": "bad"}, headers=carol.headers | {"If-Match": long_tag})
    assert_validation(resp, [("body", "email", "invalid"), ("header", "If-Match", "too_long")])
    # 256 characters is still a tag, compared at step 13.
    tag = '"' + "x" * 254 + '"'
    resp = api.patch(url, json={"name": "X"}, headers=carol.headers | {"If-Match": tag})
    assert_problem(resp, 412, "/problems/precondition-failed")


@pytest.mark.parametrize("body", [{"status": "active"}, {"role": "user"}, {"role": "admin"}])
def test_status_and_role_are_admin_only(
    api: httpx.Client, carol: ApiUser, body: dict[str, str]
) -> None:
    url = f"/api/v2/users/{carol.uuid}"
    resp = api.patch(url, json=body, headers=carol.headers | {"If-Match": "*"})
    assert_problem(resp, 403, "/problems/forbidden")
    me = assert_json(api.get(url, headers=carol.headers), 200)
    assert (me["role"], me["status"]) == ("user", "active")


def test_admin_changes_role_and_status_seen_through_v1(
    api: httpx.Client, users: UserFactory, admin_headers: dict[str, str]
) -> None:
    target = users.create(version=2, prefix="v2-promote")
    url = f"/api/v2/users/{target.uuid}"
    resp = api.patch(url, json={"role": "admin"}, headers=admin_headers | {"If-Match": "*"})
    assert assert_json(resp, 200)["role"] == "admin"
    v1 = assert_json(api.get(f"/api/v1/users/{target.id}", headers=admin_headers), 200)
    assert (v1["is_admin"], v1["is_active"]) == (True, True)
    # Now an admin, the user lists users.
    assert_json(api.get("/api/v2/users", headers=target.headers), 200)
    resp = api.patch(url, json={"status": "disabled"}, headers=admin_headers | {"If-Match": "*"})
    assert_user_v2(
        assert_json(resp, 200),
        email=target.email,
        name=target.name,
        role="admin",
        status="disabled",
        id_=target.uuid,
    )
    v1 = assert_json(api.get(f"/api/v1/users/{target.id}", headers=admin_headers), 200)
    assert (v1["is_admin"], v1["is_active"]) == (True, False)


def test_v1_update_bumps_the_v2_etag(
    api: httpx.Client, users: UserFactory, admin_headers: dict[str, str]
) -> None:
    target = users.create(prefix="v2-cross-etag")
    url = f"/api/v2/users/{target.uuid}"
    assert api.get(url, headers=target.headers).headers["ETag"] == etag_for(target.uuid, 1)
    patch = api.patch(
        f"/api/v1/users/{target.id}", json={"full_name": "Via V1"}, headers=target.headers
    )
    assert_json(patch, 200)
    got = api.get(url, headers=target.headers)
    assert got.headers["ETag"] == etag_for(target.uuid, 2)
    assert got.json()["name"] == "Via V1"


def test_patch_email_conflict_is_409(api: httpx.Client, carol: ApiUser, dave: ApiUser) -> None:
    url = f"/api/v2/users/{carol.uuid}"
    resp = api.patch(
        url, json={"email": dave.email.upper()}, headers=carol.headers | {"If-Match": "*"}
    )
    assert_problem(resp, 409, "/problems/conflict")


def test_patch_password(api: httpx.Client, users: UserFactory) -> None:
    me = users.create(version=2, prefix="v2-password")
    url = f"/api/v2/users/{me.uuid}"
    resp = api.patch(
        url, json={"password": "brand-new-secret"}, headers=me.headers | {"If-Match": "*"}
    )
    assert_json(resp, 200)
    login(api, me.email, "brand-new-secret")


# ---- delete ----


def test_delete(api: httpx.Client, users: UserFactory, admin_headers: dict[str, str]) -> None:
    me = users.create(version=2, prefix="v2-delete")
    assert_no_content(api.delete(f"/api/v2/users/{me.uuid}", headers=me.headers))
    url = f"/api/v2/users/{me.uuid}"
    assert_problem(api.get(url, headers=admin_headers), 404, "/problems/not-found")
    assert_problem(api.delete(url, headers=admin_headers), 404, "/problems/not-found")
    assert_problem(api.get("/api/v2/users/me", headers=me.headers), 401, "/problems/unauthorized")
    v1 = api.get(f"/api/v1/users/{me.id}", headers=admin_headers)
    assert_problem(v1, 404, "/problems/not-found")


def test_admin_deletes_another_user(
    api: httpx.Client, users: UserFactory, admin_headers: dict[str, str]
) -> None:
    target = users.create(version=2, prefix="v2-admin-delete")
    assert_no_content(api.delete(f"/api/v2/users/{target.uuid}", headers=admin_headers))
    resp = api.get(f"/api/v2/users/{target.uuid}", headers=admin_headers)
    assert_problem(resp, 404, "/problems/not-found")


# ---- one store, two versions ----


def test_v1_user_is_visible_through_v2_and_back(
    api: httpx.Client, users: UserFactory, admin_headers: dict[str, str]
) -> None:
    old = users.create(version=1, prefix="v1-made", name="Made In V1")
    new = users.create(version=2, prefix="v2-made", name="Made In V2")
    v2_of_old = assert_json(api.get(f"/api/v2/users/{old.uuid}", headers=admin_headers), 200)
    assert_user_v2(v2_of_old, email=old.email, name="Made In V1", id_=old.uuid)
    v1_of_new = assert_json(api.get(f"/api/v1/users/{new.id}", headers=admin_headers), 200)
    assert_user_v1(v1_of_new, email=new.email, full_name="Made In V2", id_=new.id)
    v1_of_old = assert_json(api.get(f"/api/v1/users/{old.id}", headers=admin_headers), 200)
    assert v1_of_old["created_at"] == v2_of_old["created_at"]
    listed = assert_json(
        api.get("/api/v2/users", params={"email": new.email}, headers=admin_headers), 200
    )
    assert [u["id"] for u in listed["data"]] == [new.uuid]


# ---- list ----


def test_list_is_admin_only(api: httpx.Client, carol: ApiUser) -> None:
    assert_problem(api.get("/api/v2/users", headers=carol.headers), 403, "/problems/forbidden")


def test_list_first_page_shape(api: httpx.Client, admin_headers: dict[str, str]) -> None:
    body = assert_json(api.get("/api/v2/users", headers=admin_headers), 200)
    assert set(body) == {"data", "next_cursor"}
    assert 1 <= len(body["data"]) <= 20
    keys = [(u["created_at"], u["id"]) for u in body["data"]]
    assert keys == sorted(keys)
    for item in body["data"]:
        assert set(item) == {"id", "email", "name", "role", "status", "created_at", "updated_at"}
        assert UUID_CANONICAL.match(item["id"])
        assert TIMESTAMP.match(item["created_at"])


def test_cursor_is_the_last_rows_key(api: httpx.Client, admin_headers: dict[str, str]) -> None:
    page = assert_json(api.get("/api/v2/users", params={"limit": 1}, headers=admin_headers), 200)
    cursor = page["next_cursor"]
    if cursor is None:
        pytest.fail("a one-row page of a store with several users must have a next_cursor")
    assert "=" not in cursor
    created_at, _, uid = unb64(cursor).partition("|")
    assert TIMESTAMP.match(created_at)
    assert (created_at, uid) == (page["data"][0]["created_at"], page["data"][0]["id"])


def test_keyset_walk_sees_everyone_once_while_users_are_added(
    api: httpx.Client, users: UserFactory, admin_headers: dict[str, str]
) -> None:
    before = [users.create(prefix="walk-before") for _ in range(2)]
    added: list[ApiUser] = []
    seen: list[str] = []
    keys: list[tuple[str, str]] = []
    cursor: str | None = None
    for page_number in range(2000):
        params: dict[str, str | int] = {"limit": 3}
        if cursor is not None:
            params["cursor"] = cursor
        page = assert_json(api.get("/api/v2/users", params=params, headers=admin_headers), 200)
        assert len(page["data"]) <= 3
        seen.extend(u["id"] for u in page["data"])
        keys.extend((u["created_at"], u["id"]) for u in page["data"])
        if page_number < 2:
            added.append(users.create(version=1, prefix="walk-during"))
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert len(page["data"]) == 3
    else:
        pytest.fail("the walk did not end")
    assert len(seen) == len(set(seen)), "a user was seen twice"
    assert keys == sorted(keys)
    for u in before + added:
        assert u.uuid in seen, f"{u.email} was not seen"
    v1_total = assert_json(api.get("/api/v1/users", headers=admin_headers), 200)["total"]
    assert len(seen) == v1_total


def test_last_page_exactly_full_has_no_cursor(
    api: httpx.Client, carol: ApiUser, admin_headers: dict[str, str]
) -> None:
    params: dict[str, str | int] = {"limit": 1, "email": carol.email}
    page = assert_json(api.get("/api/v2/users", params=params, headers=admin_headers), 200)
    assert [u["id"] for u in page["data"]] == [carol.uuid]
    assert page["next_cursor"] is None


def test_email_filter_is_normalised_and_exact(
    api: httpx.Client, carol: ApiUser, admin_headers: dict[str, str]
) -> None:
    params = {"email": f"  {carol.email.upper()} "}
    page = assert_json(api.get("/api/v2/users", params=params, headers=admin_headers), 200)
    assert_user_v2(page["data"][0], email=carol.email, name="Carol Example", id_=carol.uuid)
    assert len(page["data"]) == 1
    partial = {"email": carol.email[:-4]}
    page = assert_json(api.get("/api/v2/users", params=partial, headers=admin_headers), 200)
    assert page == {"data": [], "next_cursor": None}


def test_status_filter(
    api: httpx.Client, users: UserFactory, admin_headers: dict[str, str]
) -> None:
    off = users.create(version=2, prefix="v2-filter-off")
    resp = api.patch(
        f"/api/v2/users/{off.uuid}",
        json={"status": "disabled"},
        headers=admin_headers | {"If-Match": "*"},
    )
    assert_json(resp, 200)
    for status, expected in (("disabled", [off.uuid]), ("active", [])):
        params = {"status": status, "email": off.email}
        page = assert_json(api.get("/api/v2/users", params=params, headers=admin_headers), 200)
        assert [u["id"] for u in page["data"]] == expected
    page = assert_json(
        api.get(
            "/api/v2/users", params={"status": "disabled", "limit": 100}, headers=admin_headers
        ),
        200,
    )
    assert page["data"]
    assert {u["status"] for u in page["data"]} == {"disabled"}


@pytest.mark.parametrize(
    "cursor",
    [
        "abc",
        b64("hello"),
        b64("2026-11-25T13:18:29.123456Z|not-a-uuid"),
        b64("yesterday|00000000-0000-4000-8000-000000000000"),
        b64("2026-11-25T13:18:29.123456Z"),
        "!!!!",
    ],
)
def test_bad_cursor_is_400(api: httpx.Client, admin_headers: dict[str, str], cursor: str) -> None:
    resp = api.get("/api/v2/users", params={"cursor": cursor}, headers=admin_headers)
    assert_problem(resp, 400, "/problems/malformed-request", BAD_CURSOR)


def test_bad_cursor_is_checked_before_the_admin_role(api: httpx.Client, carol: ApiUser) -> None:
    resp = api.get("/api/v2/users", params={"cursor": "abc"}, headers=carol.headers)
    assert_problem(resp, 400, "/problems/malformed-request", BAD_CURSOR)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("limit=0", [("query", "limit", "out_of_range")]),
        ("limit=101", [("query", "limit", "out_of_range")]),
        ("limit=abc", [("query", "limit", "invalid")]),
        ("limit=5&limit=5", [("query", "limit", "invalid")]),
        ("status=banned", [("query", "status", "invalid")]),
        ("status=ACTIVE", [("query", "status", "invalid")]),
        (f"email={'a' * 245}%40example.com", [("query", "email", "too_long")]),
        (f"cursor={'A' * 201}", [("query", "cursor", "too_long")]),
        (
            "status=x&limit=0&email=a",
            [("query", "limit", "out_of_range"), ("query", "status", "invalid")],
        ),
    ],
)
def test_list_query_validation(
    api: httpx.Client,
    admin_headers: dict[str, str],
    params: str,
    expected: list[tuple[str, str, str]],
) -> None:
    assert_validation(api.get(f"/api/v2/users?{params}", headers=admin_headers), expected)

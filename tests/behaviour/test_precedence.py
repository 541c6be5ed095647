"""The order of checks (contract/README.md section 1): the first failing step answers."""

from __future__ import annotations

import httpx
import pytest

from tests.support.assertions import assert_allow, assert_problem, assert_validation
from tests.support.users import ApiUser, UserFactory

JSON = {"Content-Type": "application/json"}
BIG = b" " * 65537


@pytest.fixture(scope="module")
def gina(users: UserFactory) -> ApiUser:
    return users.create(version=2, prefix="order-gina")


@pytest.fixture(scope="module")
def hank(users: UserFactory) -> ApiUser:
    return users.create(version=2, prefix="order-hank")


def test_unknown_route_beats_method(api: httpx.Client) -> None:
    assert_problem(api.request("PROPFIND", "/nope"), 404, "/problems/not-found")


def test_method_beats_size(api: httpx.Client) -> None:
    assert_allow(api.put("/api/v2/users/me", content=BIG, headers=JSON), "GET")


def test_size_beats_media_type(api: httpx.Client) -> None:
    resp = api.post("/api/v2/users", content=BIG, headers={"Content-Type": "text/plain"})
    assert_problem(resp, 413, "/problems/payload-too-large")


def test_media_type_beats_auth(api: httpx.Client) -> None:
    resp = api.patch("/api/v1/users/1", content=b"{}", headers={"Content-Type": "text/plain"})
    assert_problem(resp, 415, "/problems/unsupported-media-type")


def test_auth_beats_parsing(api: httpx.Client) -> None:
    resp = api.patch("/api/v2/users/me-not", content=b"{", headers=JSON)
    assert_problem(resp, 401, "/problems/unauthorized", "Missing or invalid bearer token")
    resp = api.patch("/api/v1/users/1", content=b"{", headers=JSON)
    assert_problem(resp, 401, "/problems/unauthorized", "Missing or invalid bearer token")


def test_auth_beats_query_validation(api: httpx.Client) -> None:
    resp = api.get("/api/v1/users?limit=0")
    assert_problem(resp, 401, "/problems/unauthorized", "Missing or invalid bearer token")


def test_parsing_beats_validation_and_lookup(api: httpx.Client, gina: ApiUser) -> None:
    resp = api.patch("/api/v1/users/9223372036854775807", content=b"{", headers=gina.headers | JSON)
    assert_problem(resp, 400, "/problems/malformed-request", "Request body could not be parsed")


def test_query_validation_beats_admin_role(api: httpx.Client, gina: ApiUser) -> None:
    resp = api.get("/api/v1/users?limit=0", headers=gina.headers)
    assert_validation(resp, [("query", "limit", "out_of_range")])
    resp = api.get("/api/v2/users?cursor=abc&limit=0", headers=gina.headers)
    assert_validation(resp, [("query", "limit", "out_of_range")])


def test_cursor_beats_admin_role(api: httpx.Client, gina: ApiUser) -> None:
    resp = api.get("/api/v2/users?cursor=abc", headers=gina.headers)
    assert_problem(resp, 400, "/problems/malformed-request", "Cursor is not valid")


def test_validation_beats_lookup(api: httpx.Client, gina: ApiUser, hank: ApiUser) -> None:
    for url in (
        "/api/v1/users/9223372036854775807",
        f"/api/v2/users/{hank.uuid}",
        "/api/v2/users/x",
    ):
        resp = api.patch(url, json={"email": "bad"}, headers=gina.headers | {"If-Match": "*"})
        assert_validation(resp, [("body", "email", "invalid")])


def test_lookup_beats_admin_only_field(api: httpx.Client, gina: ApiUser, hank: ApiUser) -> None:
    resp = api.patch(f"/api/v2/users/{hank.uuid}", json={"role": "admin"}, headers=gina.headers)
    assert_problem(resp, 404, "/problems/not-found")


def test_admin_only_field_beats_if_match(api: httpx.Client, gina: ApiUser) -> None:
    url = f"/api/v2/users/{gina.uuid}"
    assert_problem(
        api.patch(url, json={"status": "active"}, headers=gina.headers), 403, "/problems/forbidden"
    )
    resp = api.patch(url, json={"role": "user"}, headers=gina.headers | {"If-Match": '"stale"'})
    assert_problem(resp, 403, "/problems/forbidden")


def test_lookup_beats_if_match(api: httpx.Client, admin_headers: dict[str, str]) -> None:
    resp = api.patch(
        "/api/v2/users/00000000-0000-4000-8000-000000000000", json={}, headers=admin_headers
    )
    assert_problem(resp, 404, "/problems/not-found")


def test_if_match_beats_conflict(api: httpx.Client, gina: ApiUser, hank: ApiUser) -> None:
    url = f"/api/v2/users/{gina.uuid}"
    body = {"email": hank.email}
    assert_problem(
        api.patch(url, json=body, headers=gina.headers), 428, "/problems/precondition-required"
    )
    resp = api.patch(url, json=body, headers=gina.headers | {"If-Match": '"stale"'})
    assert_problem(resp, 412, "/problems/precondition-failed")
    resp = api.patch(url, json=body, headers=gina.headers | {"If-Match": "*"})
    assert_problem(resp, 409, "/problems/conflict")

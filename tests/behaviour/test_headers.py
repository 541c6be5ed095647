"""Headers every response carries: X-Request-ID (echoed or replaced) and nosniff."""

from __future__ import annotations

import httpx
import pytest

from tests.support.assertions import assert_common_headers, describe, is_uuid4
from tests.support.users import ApiUser, UserFactory

# The answer each probed path gives a request without a token (contract/README.md §1).
STATUS = {"/health": 200, "/nope": 404, "/api/v1/users/me": 401}


@pytest.fixture(scope="module")
def ivy(users: UserFactory) -> ApiUser:
    return users.create(prefix="headers-ivy")


@pytest.mark.parametrize(
    "request_id",
    ["abc", "A-Z_a.z-0", "x" * 128, "5f0c6c1e-4b7e-4c43-9d63-0f6d5d3b8a11", "...", "-"],
)
@pytest.mark.parametrize("path", ["/health", "/nope", "/api/v1/users/me"])
def test_valid_request_id_is_echoed(api: httpx.Client, request_id: str, path: str) -> None:
    resp = api.get(path, headers={"X-Request-ID": request_id})
    assert resp.status_code == STATUS[path], describe(resp)
    assert resp.headers.get_list("X-Request-ID") == [request_id]
    if resp.status_code >= 400:
        assert resp.json()["request_id"] == request_id


@pytest.mark.parametrize(
    "request_id",
    ["x" * 129, "has space", "slash/y", "semi;colon", 'quote"d', "tab\there", "", "a,b", "é"],
)
@pytest.mark.parametrize("path", ["/health", "/nope"])
def test_invalid_request_id_is_replaced_by_a_uuid4(
    api: httpx.Client, request_id: str, path: str
) -> None:
    resp = api.get(path, headers={b"X-Request-ID": request_id.encode()})
    assert resp.status_code == STATUS[path], describe(resp)
    values = resp.headers.get_list("X-Request-ID")
    assert len(values) == 1
    assert values[0] != request_id
    assert is_uuid4(values[0]), values[0]
    if resp.status_code >= 400:
        assert resp.json()["request_id"] == values[0]


def test_missing_request_id_gets_a_fresh_uuid4_each_time(api: httpx.Client) -> None:
    responses = [api.get("/health") for _ in range(3)]
    for resp in responses:
        assert resp.status_code == 200, describe(resp)
    ids = {resp.headers["X-Request-ID"] for resp in responses}
    assert len(ids) == 3
    assert all(is_uuid4(value) for value in ids)


def test_every_kind_of_answer_has_the_common_headers(
    api: httpx.Client, ivy: ApiUser, admin_headers: dict[str, str]
) -> None:
    expected = [
        (200, api.get("/health")),
        (200, api.get("/ready")),
        (200, api.get("/openapi.json")),
        (200, api.get("/docs")),
        (404, api.get("/nope")),
        (405, api.delete("/health")),
        (405, api.head("/health")),
        (200, api.get("/api/v1/users/me", headers=ivy.headers)),
        (200, api.get("/api/v2/users/me", headers=ivy.headers)),
        (403, api.get("/api/v2/users", headers=ivy.headers)),
        (200, api.get("/api/v2/users", headers=admin_headers)),
        (200, api.get("/api/v1/users", headers=admin_headers)),
        (401, api.get("/api/v2/users/me")),
        (422, api.post("/api/v2/users", json={})),
        (
            400,
            api.post("/api/v2/users", content=b"{", headers={"Content-Type": "application/json"}),
        ),
        (
            200,
            api.post("/api/v2/auth/token", data={"username": ivy.email, "password": ivy.password}),
        ),
        (
            401,
            api.post("/api/v1/auth/token", data={"username": ivy.email, "password": "wrong-pass"}),
        ),
        (428, api.patch(f"/api/v2/users/{ivy.uuid}", json={}, headers=ivy.headers)),
    ]
    for status, resp in expected:
        assert resp.status_code == status, describe(resp)
        assert_common_headers(resp)
        assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_request_id_is_echoed_on_success_bodies(api: httpx.Client, ivy: ApiUser) -> None:
    resp = api.get("/api/v2/users/me", headers=ivy.headers | {"X-Request-ID": "trace-me.1"})
    assert resp.status_code == 200, describe(resp)
    assert resp.headers["X-Request-ID"] == "trace-me.1"

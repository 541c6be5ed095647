"""Headers every response carries: X-Request-ID (echoed or replaced) and nosniff."""

from __future__ import annotations

import httpx
import pytest

from tests.support.assertions import assert_common_headers, is_uuid4
from tests.support.users import ApiUser, UserFactory


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
    values = resp.headers.get_list("X-Request-ID")
    assert len(values) == 1
    assert values[0] != request_id
    assert is_uuid4(values[0]), values[0]
    if resp.status_code >= 400:
        assert resp.json()["request_id"] == values[0]


def test_missing_request_id_gets_a_fresh_uuid4_each_time(api: httpx.Client) -> None:
    ids = {api.get("/health").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3
    assert all(is_uuid4(value) for value in ids)


def test_every_kind_of_answer_has_the_common_headers(
    api: httpx.Client, ivy: ApiUser, admin_headers: dict[str, str]
) -> None:
    responses = [
        api.get("/health"),
        api.get("/ready"),
        api.get("/openapi.json"),
        api.get("/docs"),
        api.get("/nope"),
        api.delete("/health"),
        api.head("/health"),
        api.get("/api/v1/users/me", headers=ivy.headers),
        api.get("/api/v2/users/me", headers=ivy.headers),
        api.get("/api/v2/users", headers=ivy.headers),
        api.get("/api/v2/users", headers=admin_headers),
        api.get("/api/v1/users", headers=admin_headers),
        api.get("/api/v2/users/me"),
        api.post("/api/v2/users", json={}),
        api.post("/api/v2/users", content=b"{", headers={"Content-Type": "application/json"}),
        api.post("/api/v2/auth/token", data={"username": ivy.email, "password": ivy.password}),
        api.post("/api/v1/auth/token", data={"username": ivy.email, "password": "wrong-pass"}),
        api.patch(f"/api/v2/users/{ivy.uuid}", json={}, headers=ivy.headers),
    ]
    for resp in responses:
        assert_common_headers(resp)
        assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_request_id_is_echoed_on_success_bodies(api: httpx.Client, ivy: ApiUser) -> None:
    resp = api.get("/api/v2/users/me", headers=ivy.headers | {"X-Request-ID": "trace-me.1"})
    assert resp.status_code == 200
    assert resp.headers["X-Request-ID"] == "trace-me.1"

"""Bearer tokens: only a well-formed, HS256-signed, unexpired token of a live, active user opens."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.support.assertions import assert_json, assert_problem
from tests.support.live import LiveService
from tests.support.tokens import (
    CLAIMS,
    alg_none_token,
    bearer,
    expired_token,
    make_token,
    tampered_token,
    wrong_key_token,
)
from tests.support.users import ApiUser, UserFactory

ME_PATHS = ["/api/v1/users/me", "/api/v2/users/me"]


@pytest.fixture(scope="module")
def holder(users: UserFactory) -> ApiUser:
    return users.create(prefix="jwt")


def assert_unauthorized(resp: httpx.Response) -> None:
    assert_problem(resp, 401, "/problems/unauthorized", "Missing or invalid bearer token")


@pytest.mark.parametrize("path", ME_PATHS)
def test_crafted_valid_token_is_accepted(
    api: httpx.Client, service: LiveService, holder: ApiUser, path: str
) -> None:
    token = make_token(service.secret_key, holder.id)
    assert assert_json(api.get(path, headers=bearer(token)), 200)["email"] == holder.email


@pytest.mark.parametrize("path", ME_PATHS)
def test_missing_token(api: httpx.Client, path: str) -> None:
    assert_unauthorized(api.get(path))


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer",
        "Bearer not-a-jwt",
        "Bearer a.b.c",
        "Basic dXNlcjpwYXNz",
        "Token abc.def.ghi",
    ],
)
def test_malformed_authorization_header(api: httpx.Client, authorization: str) -> None:
    assert_unauthorized(api.get("/api/v2/users/me", headers={"Authorization": authorization}))


def _omitting(claim: str) -> Callable[[LiveService, ApiUser], str]:
    return lambda s, u: make_token(s.secret_key, u.id, omit=[claim])


BAD_TOKENS: dict[str, Callable[[LiveService, ApiUser], str]] = {
    "expired": lambda s, u: expired_token(s.secret_key, u.id),
    "tampered": lambda s, u: tampered_token(u.token, 1),
    "alg-none": lambda s, u: alg_none_token(u.id),
    "wrong-key": lambda s, u: wrong_key_token(u.id),
    "hs512": lambda s, u: make_token(s.secret_key, u.id, algorithm="HS512"),
    "hs384": lambda s, u: make_token(s.secret_key, u.id, algorithm="HS384"),
    "unknown-sub": lambda s, u: make_token(s.secret_key, 9_000_000_000_000_000_000),
    "non-integer-sub": lambda s, u: make_token(s.secret_key, "abc"),
    "uuid-sub": lambda s, u: make_token(s.secret_key, u.uuid),
    **{f"no-{claim}": _omitting(claim) for claim in CLAIMS},
}


@pytest.mark.parametrize("kind", sorted(BAD_TOKENS))
@pytest.mark.parametrize("path", ME_PATHS)
def test_bad_token_is_401(
    api: httpx.Client, service: LiveService, holder: ApiUser, kind: str, path: str
) -> None:
    token = BAD_TOKENS[kind](service, holder)
    assert_unauthorized(api.get(path, headers=bearer(token)))


def test_token_of_a_deleted_user(
    api: httpx.Client, users: UserFactory, admin_headers: dict[str, str]
) -> None:
    gone = users.create(prefix="jwt-deleted")
    assert api.delete(f"/api/v2/users/{gone.uuid}", headers=admin_headers).status_code == 204
    for path in ME_PATHS:
        assert_unauthorized(api.get(path, headers=gone.headers))
    assert_unauthorized(api.get(f"/api/v1/users/{gone.id}", headers=gone.headers))


def test_token_of_a_deleted_user_does_not_open_a_later_account(
    api: httpx.Client, users: UserFactory
) -> None:
    gone = users.create(prefix="jwt-reused")
    assert api.delete(f"/api/v1/users/{gone.id}", headers=gone.headers).status_code == 204
    newcomer = users.create(prefix="jwt-newcomer")
    assert newcomer.id != gone.id, "a deleted user's id was given to a new user"
    assert_unauthorized(api.get("/api/v1/users/me", headers=gone.headers))


def test_token_of_a_disabled_user(
    api: httpx.Client, users: UserFactory, admin_headers: dict[str, str]
) -> None:
    off = users.create(prefix="jwt-disabled")
    resp = api.patch(
        f"/api/v2/users/{off.uuid}",
        json={"status": "disabled"},
        headers=admin_headers | {"If-Match": "*"},
    )
    assert assert_json(resp, 200)["status"] == "disabled"
    for path in ME_PATHS:
        assert_unauthorized(api.get(path, headers=off.headers))
    assert_unauthorized(api.patch(f"/api/v1/users/{off.id}", json={}, headers=off.headers))
    # Enabled again, the same token opens again: the check is live, not baked into the token.
    resp = api.patch(
        f"/api/v2/users/{off.uuid}",
        json={"status": "active"},
        headers=admin_headers | {"If-Match": "*"},
    )
    assert assert_json(resp, 200)["status"] == "active"
    assert assert_json(api.get("/api/v2/users/me", headers=off.headers), 200)["id"] == off.uuid


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/users"),
        ("GET", "/api/v2/users"),
        ("GET", "/api/v1/users/1"),
        ("PATCH", "/api/v1/users/1"),
        ("DELETE", "/api/v1/users/1"),
        ("GET", "/api/v2/users/00000000-0000-4000-8000-000000000000"),
        ("PATCH", "/api/v2/users/00000000-0000-4000-8000-000000000000"),
        ("DELETE", "/api/v2/users/00000000-0000-4000-8000-000000000000"),
    ],
)
def test_protected_operations_need_a_token(api: httpx.Client, method: str, path: str) -> None:
    body: dict[str, str] | None = {} if method == "PATCH" else None
    assert_unauthorized(api.request(method, path, json=body))

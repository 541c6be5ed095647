"""The token endpoints: password grant, equal failures, rate limit, the tokens they issue."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.support.assertions import (
    TOKEN_UNAUTHORIZED,
    TOKEN_UNSUPPORTED,
    assert_json,
    assert_problem,
    assert_validation,
)
from tests.support.live import LiveService
from tests.support.tokens import bearer, decode
from tests.support.users import ApiUser, UserFactory, unique_email

TOKEN_PATHS = ["/api/v1/auth/token", "/api/v2/auth/token"]


@pytest.fixture(scope="module")
def member(users: UserFactory) -> ApiUser:
    return users.create(prefix="auth")


@pytest.mark.parametrize("path", TOKEN_PATHS)
def test_password_grant_issues_a_bearer_token(
    api: httpx.Client, service: LiveService, member: ApiUser, path: str
) -> None:
    resp = api.post(path, data={"username": member.email, "password": member.password})
    body = assert_json(resp, 200)
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    claims = decode(service.secret_key, body["access_token"])
    assert claims["sub"] == str(member.id)
    assert claims["exp"] - claims["iat"] == 900
    assert abs(claims["iat"] - time.time()) < 60
    assert isinstance(claims["jti"], str)
    assert claims["jti"]
    me = api.get("/api/v2/users/me", headers=bearer(body["access_token"]))
    assert assert_json(me, 200)["email"] == member.email


def test_token_header_is_hs256_jwt(api: httpx.Client, member: ApiUser) -> None:
    import jwt

    assert jwt.get_unverified_header(member.token)["alg"] == "HS256"


def test_every_token_has_its_own_jti(
    api: httpx.Client, service: LiveService, member: ApiUser
) -> None:
    form = {"username": member.email, "password": member.password}
    first = api.post("/api/v2/auth/token", data=form).json()["access_token"]
    second = api.post("/api/v2/auth/token", data=form).json()["access_token"]
    assert decode(service.secret_key, first)["jti"] != decode(service.secret_key, second)["jti"]


def test_optional_oauth2_fields_are_accepted(api: httpx.Client, member: ApiUser) -> None:
    form = {
        "grant_type": "password",
        "username": member.email,
        "password": member.password,
        "scope": "",
        "client_id": "swagger",
        "client_secret": "ignored",
    }
    assert assert_json(api.post("/api/v2/auth/token", data=form), 200)["token_type"] == "bearer"


def test_login_normalises_the_email(api: httpx.Client, member: ApiUser) -> None:
    form = {"username": f"  {member.email.upper()} ", "password": member.password}
    assert assert_json(api.post("/api/v1/auth/token", data=form), 200)["token_type"] == "bearer"


def test_admin_is_bootstrapped(api: httpx.Client, service: LiveService, admin_token: str) -> None:
    me = assert_json(api.get("/api/v1/users/me", headers=bearer(admin_token)), 200)
    assert me["email"] == service.admin_email
    assert me["is_admin"] is True
    assert me["is_active"] is True
    me2 = assert_json(api.get("/api/v2/users/me", headers=bearer(admin_token)), 200)
    assert me2["role"] == "admin"


@pytest.mark.parametrize("path", TOKEN_PATHS)
def test_unknown_email_and_wrong_password_answer_the_same(
    api: httpx.Client, member: ApiUser, path: str
) -> None:
    wrong = api.post(path, data={"username": member.email, "password": "wrong-password"})
    unknown = api.post(path, data={"username": unique_email("nobody"), "password": "x" * 12})
    bodies = []
    for resp in (wrong, unknown):
        body = assert_problem(resp, 401, "/problems/unauthorized", TOKEN_UNAUTHORIZED)
        body.pop("request_id")
        bodies.append(body)
    assert bodies[0] == bodies[1]
    assert wrong.headers["WWW-Authenticate"] == unknown.headers["WWW-Authenticate"] == "Bearer"


def test_unknown_email_takes_about_as_long_as_a_wrong_password(
    api: httpx.Client, member: ApiUser
) -> None:
    """Equal-time failures: an unknown email still pays for one password verification."""

    def timed(email: str) -> float:
        started = time.perf_counter()
        resp = api.post("/api/v2/auth/token", data={"username": email, "password": "wrong-pw-1"})
        elapsed = time.perf_counter() - started
        assert resp.status_code == 401
        return elapsed

    wrong = sorted(timed(member.email) for _ in range(3))
    unknown = sorted(timed(unique_email("timing")) for _ in range(3))
    # Without a dummy verification an unknown email answers 10-100x faster; the bound is loose
    # because other processes share the machine.
    assert unknown[1] >= 0.3 * wrong[1], f"unknown {unknown} vs wrong password {wrong}"


def test_unregistered_looking_username_is_401_not_422(api: httpx.Client) -> None:
    resp = api.post("/api/v2/auth/token", data={"username": "not an email", "password": "p"})
    assert_problem(resp, 401, "/problems/unauthorized", TOKEN_UNAUTHORIZED)


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ({}, [("body", "password", "required"), ("body", "username", "required")]),
        ({"username": "a@example.com"}, [("body", "password", "required")]),
        (
            {"username": "a@example.com", "password": "p", "grant_type": "client_credentials"},
            [("body", "grant_type", "invalid")],
        ),
        (
            {"username": "a@example.com", "password": "p", "role": "admin"},
            [("body", "role", "unknown_field")],
        ),
    ],
)
def test_token_form_validation(
    api: httpx.Client, form: dict[str, str], expected: list[tuple[str, str, str]]
) -> None:
    assert_validation(api.post("/api/v2/auth/token", data=form), expected)


def test_token_form_key_given_twice_is_invalid(api: httpx.Client, member: ApiUser) -> None:
    resp = api.post(
        "/api/v1/auth/token",
        content=f"username={member.email}&password=a&password=b".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_validation(resp, [("body", "password", "invalid")])


@pytest.mark.parametrize("path", TOKEN_PATHS)
def test_token_endpoint_wants_a_form(api: httpx.Client, member: ApiUser, path: str) -> None:
    resp = api.post(path, json={"username": member.email, "password": member.password})
    assert_problem(resp, 415, "/problems/unsupported-media-type", TOKEN_UNSUPPORTED)


def test_token_endpoint_without_content_type(api: httpx.Client) -> None:
    resp = api.post("/api/v2/auth/token", content=b"username=a&password=b")
    assert_problem(resp, 415, "/problems/unsupported-media-type", TOKEN_UNSUPPORTED)


def test_token_form_content_type_parameters_are_ignored(api: httpx.Client, member: ApiUser) -> None:
    resp = api.post(
        "/api/v2/auth/token",
        content=f"username={member.email}&password={member.password}".encode(),
        headers={"Content-Type": "Application/X-WWW-Form-Urlencoded; charset=UTF-8"},
    )
    assert assert_json(resp, 200)["token_type"] == "bearer"


def test_disabled_user_cannot_log_in(
    api: httpx.Client, users: UserFactory, admin_headers: dict[str, str]
) -> None:
    victim = users.create(prefix="disabled")
    patch = api.patch(
        f"/api/v1/users/{victim.id}", json={"is_active": False}, headers=admin_headers
    )
    assert assert_json(patch, 200)["is_active"] is False
    form = {"username": victim.email, "password": victim.password}
    resp = api.post("/api/v2/auth/token", data=form)
    assert_problem(resp, 401, "/problems/unauthorized", TOKEN_UNAUTHORIZED)


def test_rate_limit_after_ten_failures(api: httpx.Client, users: UserFactory) -> None:
    target = users.create(prefix="ratelimit")
    # Failures count per normalised email, whatever the spelling and the path used.
    spellings = [target.email, target.email.upper(), f" {target.email} "]
    started = time.monotonic()
    for attempt in range(10):
        path = TOKEN_PATHS[attempt % 2]
        form = {"username": spellings[attempt % 3], "password": f"wrong-{attempt}"}
        assert_problem(api.post(path, data=form), 401, "/problems/unauthorized", TOKEN_UNAUTHORIZED)
    for path in TOKEN_PATHS:
        resp = api.post(path, data={"username": target.email, "password": target.password})
        assert_problem(resp, 429, "/problems/rate-limited")
        # Seconds until the oldest failure is 60 s old, rounded up.
        elapsed = time.monotonic() - started
        assert 60 - elapsed - 2 <= int(resp.headers["Retry-After"]) <= 60, (elapsed, resp.headers)
    # Another user is not affected.
    other = users.create(prefix="ratelimit-other")
    form = {"username": other.email, "password": other.password}
    assert assert_json(api.post("/api/v2/auth/token", data=form), 200)["token_type"] == "bearer"


def test_rate_limit_applies_to_unknown_emails(api: httpx.Client) -> None:
    email = unique_email("ghost")
    for attempt in range(10):
        resp = api.post("/api/v2/auth/token", data={"username": email, "password": f"pw-{attempt}"})
        assert_problem(resp, 401, "/problems/unauthorized", TOKEN_UNAUTHORIZED)
    resp = api.post("/api/v2/auth/token", data={"username": email, "password": "pw-again"})
    assert_problem(resp, 429, "/problems/rate-limited")
    # Media type and form validation still answer first (contract: 415, 422, then 429).
    resp = api.post("/api/v2/auth/token", json={"username": email, "password": "x"})
    assert_problem(resp, 415, "/problems/unsupported-media-type", TOKEN_UNSUPPORTED)
    resp = api.post("/api/v1/auth/token", data={"username": email})
    assert_validation(resp, [("body", "password", "required")])

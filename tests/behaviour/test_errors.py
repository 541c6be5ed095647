"""Transport-level answers: unknown routes, methods, sizes, media types, parsing, conflicts."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import httpx
import pytest

from tests.support.assertions import (
    TOKEN_UNSUPPORTED,
    assert_allow,
    assert_json,
    assert_problem,
    assert_validation,
    describe,
)
from tests.support.live import LiveService
from tests.support.users import ApiUser, UserFactory, unique_email

JSON = {"Content-Type": "application/json"}
LIMIT = 65536
SOME_UUID = "00000000-0000-4000-8000-000000000000"


def create_body(email: str | None = None, name: str = "Trans Port") -> dict[str, str]:
    return {
        "email": email or unique_email("transport"),
        "full_name": name,
        "password": "pw-12345678",
    }


def padded(body: dict[str, str], size: int) -> bytes:
    """`body` as JSON, padded with insignificant whitespace to exactly `size` bytes."""
    raw = json.dumps(body).encode()
    assert len(raw) < size
    return raw[:-1] + b" " * (size - len(raw)) + b"}"


@pytest.fixture(scope="module")
def frank(users: UserFactory) -> ApiUser:
    return users.create(prefix="errors-frank")


# ---- 404 ----


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/nope",
        "/api",
        "/api/v1",
        "/api/v3/users",
        "/api/v1/userz",
        "/api/v1/users/1/extra",
        "/api/v2/users/me/extra",
        "/health/",
        "/ready/",
        "/docs/",
        "/openapi.json/",
        "/api/v1/users/",
        "/api/v2/users/",
        "/api/v1/users/me/",
        "/api/v2/auth/token/",
        "/API/v1/users",
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_unknown_route_is_404(api: httpx.Client, path: str, method: str) -> None:
    assert_problem(api.request(method, path), 404, "/problems/not-found")


# ---- 405 ----

ALLOW_CASES = [
    ("PUT", "/api/v1/users", "GET, POST"),
    ("PATCH", "/api/v2/users", "GET, POST"),
    ("DELETE", "/api/v1/users", "GET, POST"),
    ("POST", "/api/v1/users/me", "GET"),
    ("PATCH", "/api/v2/users/me", "GET"),
    ("DELETE", "/api/v1/users/me", "GET"),
    ("PUT", "/api/v1/users/1", "DELETE, GET, PATCH"),
    ("POST", "/api/v1/users/not-an-id", "DELETE, GET, PATCH"),
    ("PUT", f"/api/v2/users/{SOME_UUID}", "DELETE, GET, PATCH"),
    ("POST", "/api/v2/users/not-a-uuid", "DELETE, GET, PATCH"),
    ("GET", "/api/v1/auth/token", "POST"),
    ("DELETE", "/api/v2/auth/token", "POST"),
    ("POST", "/health", "GET"),
    ("PUT", "/ready", "GET"),
    ("POST", "/openapi.json", "GET"),
    ("POST", "/docs", "GET"),
    ("HEAD", "/health", "GET"),
    ("HEAD", "/api/v1/users", "GET, POST"),
    ("HEAD", "/api/v2/users/me", "GET"),
    ("HEAD", "/docs", "GET"),
    ("OPTIONS", "/api/v2/users", "GET, POST"),
    ("OPTIONS", "/api/v1/users/1", "DELETE, GET, PATCH"),
    ("OPTIONS", "/health", "GET"),
    ("OPTIONS", "/api/v2/auth/token", "POST"),
]


@pytest.mark.parametrize(("method", "path", "allow"), ALLOW_CASES)
def test_wrong_method_is_405_with_allow(
    api: httpx.Client, method: str, path: str, allow: str
) -> None:
    assert_allow(api.request(method, path), allow)


def test_405_comes_before_size_media_type_and_auth(api: httpx.Client) -> None:
    big = b"x" * (LIMIT + 10)
    resp = api.put("/api/v1/users", content=big, headers={"Content-Type": "text/plain"})
    assert_allow(resp, "GET, POST")


# ---- 413 ----


@pytest.mark.parametrize("version", [1, 2])
def test_body_over_64_kib_is_413(api: httpx.Client, version: int) -> None:
    body = create_body()
    if version == 2:
        body["name"] = body.pop("full_name")
    resp = api.post(f"/api/v{version}/users", content=padded(body, LIMIT + 1), headers=JSON)
    assert_problem(resp, 413, "/problems/payload-too-large")
    # A 413 always closes, whatever the server read of the body (contract §3).
    assert resp.headers.get("Connection", "").lower() == "close", describe(resp)
    email = body["email"]
    assert_problem(
        api.post("/api/v2/auth/token", data={"username": email, "password": "pw-12345678"}),
        401,
        "/problems/unauthorized",
        "Incorrect email or password",
    )


def test_body_of_exactly_64_kib_is_read(api: httpx.Client) -> None:
    body = create_body()
    resp = api.post("/api/v1/users", content=padded(body, LIMIT), headers=JSON)
    assert assert_json(resp, 201)["email"] == body["email"]


def test_chunked_body_over_64_kib_is_413(api: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"email": "chunked@example.com", "full_name": "'
        for _ in range(70):
            yield b"a" * 1024
        yield b'", "password": "pw-12345678"}'

    resp = api.post("/api/v1/users", content=chunks(), headers=JSON)
    assert "content-length" not in resp.request.headers
    assert_problem(resp, 413, "/problems/payload-too-large")
    assert resp.headers.get("Connection", "").lower() == "close", describe(resp)


def test_413_on_the_token_endpoint_and_before_auth(api: httpx.Client) -> None:
    form = b"username=a%40example.com&password=" + b"p" * LIMIT
    resp = api.post(
        "/api/v1/auth/token",
        content=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_problem(resp, 413, "/problems/payload-too-large")
    resp = api.patch(
        "/api/v1/users/1", content=b" " * (LIMIT + 1), headers={"Content-Type": "text/plain"}
    )
    assert_problem(resp, 413, "/problems/payload-too-large")


# ---- 415 ----


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/merge-patch+json",
        "application/jsonx",
        "json",
    ],
)
@pytest.mark.parametrize("version", [1, 2])
def test_create_needs_json(api: httpx.Client, content_type: str | None, version: int) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    body = json.dumps(create_body()).encode()
    resp = api.post(f"/api/v{version}/users", content=body, headers=headers)
    assert "content-type" in resp.request.headers or content_type is None
    assert_problem(resp, 415, "/problems/unsupported-media-type")


@pytest.mark.parametrize(
    "content_type",
    ["application/json; charset=utf-8", "Application/JSON", "APPLICATION/JSON;charset=UTF-8"],
)
def test_json_media_type_parameters_and_case_are_ignored(
    api: httpx.Client, content_type: str
) -> None:
    body = create_body()
    resp = api.post(
        "/api/v1/users", content=json.dumps(body), headers={"Content-Type": content_type}
    )
    assert assert_json(resp, 201)["email"] == body["email"]


def test_patch_needs_json(api: httpx.Client, frank: ApiUser) -> None:
    for url in (f"/api/v1/users/{frank.id}", f"/api/v2/users/{frank.uuid}"):
        resp = api.patch(url, content=b"{}", headers=frank.headers | {"Content-Type": "text/plain"})
        assert_problem(resp, 415, "/problems/unsupported-media-type")
        resp = api.patch(url, content=b"{}", headers=frank.headers | {"If-Match": "*"})
        assert_problem(resp, 415, "/problems/unsupported-media-type")


def test_token_endpoint_415_detail(api: httpx.Client) -> None:
    resp = api.post("/api/v1/auth/token", content=b"{}", headers=JSON)
    assert_problem(resp, 415, "/problems/unsupported-media-type", TOKEN_UNSUPPORTED)


# ---- 400 ----


@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b"",
        b"{'email': 'a@example.com'}",
        b'{"email": "a@example.com",}',
        b"{} {}",
        b"\xff\xfe",
        b'{"email": "\xff@example.com", "full_name": "X", "password": "pw-12345678"}',
        b'{"email": "a@example.com", "full_name": "\\ud800", "password": "pw-12345678"}',
        b"[1, 2",
    ],
)
@pytest.mark.parametrize("version", [1, 2])
def test_unparseable_body_is_400(api: httpx.Client, raw: bytes, version: int) -> None:
    resp = api.post(f"/api/v{version}/users", content=raw, headers=JSON)
    assert_problem(resp, 400, "/problems/malformed-request", "Request body could not be parsed")


def test_unparseable_patch_is_400(api: httpx.Client, frank: ApiUser) -> None:
    resp = api.patch(f"/api/v1/users/{frank.id}", content=b"{", headers=frank.headers | JSON)
    assert_problem(resp, 400, "/problems/malformed-request", "Request body could not be parsed")
    url = f"/api/v2/users/{frank.uuid}"
    resp = api.patch(url, content=b"", headers=frank.headers | JSON | {"If-Match": "*"})
    assert_problem(resp, 400, "/problems/malformed-request", "Request body could not be parsed")


@pytest.mark.parametrize(
    "raw",
    [
        b"username=\xff\xfe&password=x",
        b"username=%ff%fe&password=x",
        b"username=a%zz&password=x",
        b"username=a%4&password=x",
    ],
)
def test_unparseable_token_form_is_400(api: httpx.Client, raw: bytes) -> None:
    resp = api.post(
        "/api/v2/auth/token",
        content=raw,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_problem(resp, 400, "/problems/malformed-request", "Request body could not be parsed")


@pytest.mark.parametrize("version", [1, 2])
def test_no_body_and_no_content_type_is_an_empty_body(api: httpx.Client, version: int) -> None:
    resp = api.post(f"/api/v{version}/users")
    assert "content-type" not in resp.request.headers
    assert_problem(resp, 400, "/problems/malformed-request", "Request body could not be parsed")


def test_no_body_and_no_content_type_on_patch(api: httpx.Client, frank: ApiUser) -> None:
    resp = api.patch(f"/api/v1/users/{frank.id}", headers=frank.headers)
    assert_problem(resp, 400, "/problems/malformed-request", "Request body could not be parsed")
    resp = api.patch(f"/api/v2/users/{frank.uuid}", headers=frank.headers | {"If-Match": "*"})
    assert_problem(resp, 400, "/problems/malformed-request", "Request body could not be parsed")


@pytest.mark.parametrize("path", ["/api/v1/auth/token", "/api/v2/auth/token"])
def test_empty_token_form_is_a_form_without_fields(api: httpx.Client, path: str) -> None:
    expected = [("body", "password", "required"), ("body", "username", "required")]
    assert_validation(api.post(path), expected)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert_validation(api.post(path, content=b"", headers=form), expected)


# ---- 409 ----


def test_duplicate_email_is_409_case_insensitive_across_versions(api: httpx.Client) -> None:
    email = unique_email("dup")
    assert_json(api.post("/api/v1/users", json=create_body(email)), 201)
    again = [
        api.post("/api/v1/users", json=create_body(f"  {email.upper()} ")),
        api.post("/api/v2/users", json={"email": email, "name": "X", "password": "pw-12345678"}),
    ]
    for resp in again:
        assert_problem(resp, 409, "/problems/conflict")
    email2 = unique_email("dup2")
    v2 = api.post("/api/v2/users", json={"email": email2, "name": "Y", "password": "pw-12345678"})
    assert_json(v2, 201)
    assert_problem(
        api.post("/api/v1/users", json=create_body(email2.upper())), 409, "/problems/conflict"
    )


def test_concurrent_creates_of_one_email(service: LiveService) -> None:
    email = unique_email("race")
    racers = 6
    barrier = threading.Barrier(racers)
    statuses: list[int] = []
    problems: list[httpx.Response] = []
    lock = threading.Lock()

    def race(index: int) -> None:
        with httpx.Client(base_url=service.base_url, timeout=30) as client:
            variant = email.upper() if index % 2 else email
            body = {"email": variant, "full_name": f"Racer {index}", "password": "pw-12345678"}
            barrier.wait(timeout=30)
            resp = client.post("/api/v1/users", json=body)
            resp.read()
        with lock:
            statuses.append(resp.status_code)
            if resp.status_code != 201:
                problems.append(resp)

    threads = [threading.Thread(target=race, args=(i,)) for i in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert sorted(statuses) == [201] + [409] * (racers - 1), statuses
    for resp in problems:
        assert_problem(resp, 409, "/problems/conflict")

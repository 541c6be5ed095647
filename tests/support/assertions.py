"""Exact assertions on responses: problem bodies, the headers every response has, user shapes."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any

import httpx

V1_HEADERS = {
    "Deprecation": "@1767225600",
    "Sunset": "Thu, 01 Jul 2027 00:00:00 GMT",
    "Link": '</api/v2/users>; rel="successor-version"',
}
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
TIMESTAMP = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$")
UUID_CANONICAL = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
TOKEN_PATHS = ("/api/v1/auth/token", "/api/v2/auth/token")

# type -> (status, title, default detail); contract/README.md section 2.
PROBLEMS: dict[str, tuple[int, str, str]] = {
    "/problems/malformed-request": (400, "Malformed request", "Request body could not be parsed"),
    "/problems/unauthorized": (401, "Unauthorized", "Missing or invalid bearer token"),
    "/problems/forbidden": (403, "Forbidden", "Admin role required"),
    "/problems/not-found": (404, "Not found", "Resource not found"),
    "/problems/method-not-allowed": (405, "Method not allowed", "Method not allowed"),
    "/problems/conflict": (409, "Conflict", "Email already registered"),
    "/problems/precondition-failed": (
        412,
        "Precondition failed",
        "If-Match does not match the current ETag",
    ),
    "/problems/payload-too-large": (413, "Payload too large", "Request body exceeds 65536 bytes"),
    "/problems/header-fields-too-large": (
        431,
        "Request header fields too large",
        "Request header section exceeds 100 fields or 16384 bytes",
    ),
    "/problems/unsupported-media-type": (
        415,
        "Unsupported media type",
        "Content-Type must be application/json",
    ),
    "/problems/validation-error": (422, "Validation failed", ""),
    "/problems/precondition-required": (
        428,
        "Precondition required",
        "If-Match header is required",
    ),
    "/problems/rate-limited": (429, "Too many requests", "Too many failed logins, retry later"),
    "/problems/internal-error": (500, "Internal server error", "An unexpected error occurred"),
    "/problems/service-unavailable": (503, "Service unavailable", "A dependency is unavailable"),
}
TOKEN_UNAUTHORIZED = "Incorrect email or password"
TOKEN_UNSUPPORTED = "Content-Type must be application/x-www-form-urlencoded"
BAD_CURSOR = "Cursor is not valid"


def media_type(resp: httpx.Response) -> str | None:
    value = resp.headers.get("content-type")
    return None if value is None else value.split(";", 1)[0].strip().lower()


def request_path(resp: httpx.Response) -> str:
    return resp.request.url.path


def describe(resp: httpx.Response) -> str:
    return f"{resp.request.method} {resp.request.url} -> {resp.status_code} {resp.text[:1500]!r}"


def single_header(resp: httpx.Response, name: str) -> str | None:
    """The header's value, failing when it is sent more than once."""
    values = resp.headers.get_list(name)
    assert len(values) <= 1, f"{name} sent {len(values)} times: {values}; {describe(resp)}"
    return values[0] if values else None


def assert_common_headers(resp: httpx.Response) -> None:
    """The headers contract/README.md names for every response of this path and status."""
    path = request_path(resp)
    rid = single_header(resp, "X-Request-ID")
    assert rid is not None, f"no X-Request-ID; {describe(resp)}"
    assert REQUEST_ID.match(rid), f"X-Request-ID {rid!r}; {describe(resp)}"
    assert single_header(resp, "X-Content-Type-Options") == "nosniff", describe(resp)
    if path.startswith("/api/v1/"):
        for name, value in V1_HEADERS.items():
            assert single_header(resp, name) == value, f"{name}; {describe(resp)}"
    else:
        for name in ("Deprecation", "Sunset"):
            assert name not in resp.headers, f"{name} outside /api/v1/; {describe(resp)}"
    if path in TOKEN_PATHS:
        assert single_header(resp, "Cache-Control") == "no-store", describe(resp)
    if resp.status_code == 401:
        assert single_header(resp, "WWW-Authenticate") == "Bearer", describe(resp)
    if resp.status_code == 429:
        retry = single_header(resp, "Retry-After")
        assert retry is not None, f"no Retry-After; {describe(resp)}"
        assert re.fullmatch(r"[1-9][0-9]*", retry), describe(resp)
    if resp.status_code == 405:
        assert single_header(resp, "Allow"), describe(resp)


def assert_json(resp: httpx.Response, status: int) -> Any:
    """A success answer: status, `application/json`, the common headers; returns the body."""
    assert resp.status_code == status, describe(resp)
    assert media_type(resp) == "application/json", f"content-type; {describe(resp)}"
    assert_common_headers(resp)
    return resp.json()


def assert_no_content(resp: httpx.Response) -> None:
    assert resp.status_code == 204, describe(resp)
    assert resp.content == b"", describe(resp)
    assert "content-type" not in resp.headers, f"204 with a Content-Type; {describe(resp)}"
    assert_common_headers(resp)


def assert_problem(
    resp: httpx.Response,
    status: int,
    type_: str,
    detail: str | None = None,
    *,
    instance: str | None = None,
) -> dict[str, Any]:
    """An RFC 9457 answer with the exact members of contract/README.md section 2."""
    if not type_.startswith("/problems/"):
        type_ = f"/problems/{type_}"
    expected_status, title, default_detail = PROBLEMS[type_]
    assert status == expected_status, f"test bug: {type_} is {expected_status}, not {status}"
    assert resp.status_code == status, describe(resp)
    assert media_type(resp) == "application/problem+json", f"content-type; {describe(resp)}"
    assert_common_headers(resp)
    body: dict[str, Any] = resp.json()
    members = {"type", "title", "status", "detail", "instance", "request_id"}
    if status == 422:
        members.add("errors")
    if status == 503 and request_path(resp) == "/ready":
        members.add("checks")
    assert set(body) == members, f"members {sorted(body)}; {describe(resp)}"
    assert body["type"] == type_, describe(resp)
    assert body["title"] == title, describe(resp)
    assert type(body["status"]) is int, describe(resp)
    assert body["status"] == status, describe(resp)
    if status == 422:
        count = len(body["errors"])
        default_detail = "1 field is invalid" if count == 1 else f"{count} fields are invalid"
    assert body["detail"] == (default_detail if detail is None else detail), describe(resp)
    expected_instance = request_path(resp) if instance is None else instance
    assert body["instance"] == expected_instance, describe(resp)
    assert body["request_id"] == resp.headers["X-Request-ID"], describe(resp)
    return body


def assert_validation(
    resp: httpx.Response, expected: Sequence[tuple[str, str, str]]
) -> dict[str, Any]:
    """422 whose `errors[]` is exactly `expected` as (in, field, code), in that order."""
    body = assert_problem(resp, 422, "/problems/validation-error")
    errors = body["errors"]
    for error in errors:
        assert set(error) == {"in", "field", "code", "message"}, f"{error}; {describe(resp)}"
        assert isinstance(error["message"], str), describe(resp)
    got = [(e["in"], e["field"], e["code"]) for e in errors]
    assert got == list(expected), f"errors {got} != {list(expected)}; {describe(resp)}"
    return body


def assert_allow(resp: httpx.Response, allow: str) -> None:
    """405 with the exact `Allow`; HEAD answers carry no body to check."""
    if resp.request.method == "HEAD":
        assert resp.status_code == 405, describe(resp)
        assert_common_headers(resp)
    else:
        assert_problem(resp, 405, "/problems/method-not-allowed")
    assert resp.headers.get("Allow") == allow, f"Allow; {describe(resp)}"


def assert_user_v1(
    body: Any,
    *,
    email: str,
    full_name: str,
    is_active: bool = True,
    is_admin: bool = False,
    id_: int | None = None,
) -> None:
    assert isinstance(body, dict), body
    assert set(body) == {"id", "email", "full_name", "is_active", "is_admin", "created_at"}, body
    assert type(body["id"]) is int, body
    assert body["id"] >= 1, body
    if id_ is not None:
        assert body["id"] == id_, body
    assert body["email"] == email, body
    assert body["full_name"] == full_name, body
    assert body["is_active"] is is_active, body
    assert body["is_admin"] is is_admin, body
    assert TIMESTAMP.match(body["created_at"]), body


def assert_user_v2(
    body: Any,
    *,
    email: str,
    name: str,
    role: str = "user",
    status: str = "active",
    id_: str | None = None,
) -> None:
    assert isinstance(body, dict), body
    assert set(body) == {"id", "email", "name", "role", "status", "created_at", "updated_at"}, body
    assert isinstance(body["id"], str), body
    assert UUID_CANONICAL.match(body["id"]), body
    if id_ is not None:
        assert body["id"] == id_, body
    assert body["email"] == email, body
    assert body["name"] == name, body
    assert body["role"] == role, body
    assert body["status"] == status, body
    assert TIMESTAMP.match(body["created_at"]), body
    assert TIMESTAMP.match(body["updated_at"]), body
    assert body["updated_at"] >= body["created_at"], body


def etag_for(user_uuid: str, version: int) -> str:
    """The contract's ETag: `"<uuid>.<version>"`."""
    return f'"{user_uuid}.{version}"'


def is_uuid4(value: str) -> bool:
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        return False
    return parsed.version == 4 and str(parsed) == value

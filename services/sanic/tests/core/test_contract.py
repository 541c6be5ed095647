"""The contract's exact values: problem bodies, standard headers, timestamps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from app.core.contract import allow_header, format_timestamp, problem_body, standard_headers
from app.core.errors import FieldError, RateLimited, ServiceUnavailable, ValidationFailed


def test_problem_body_carries_the_class_attributes_and_the_extras() -> None:
    body = problem_body(RateLimited(7), "/api/v2/auth/token", "req-1")
    assert body == {
        "type": "/problems/rate-limited",
        "title": "Too many requests",
        "status": 429,
        "detail": "Too many failed logins, retry later",
        "instance": "/api/v2/auth/token",
        "request_id": "req-1",
    }
    assert RateLimited(7).headers() == {"Retry-After": "7"}
    invalid = ValidationFailed([FieldError("body", "email", "invalid", "bad")])
    assert problem_body(invalid, "/x", "r")["errors"] == [
        {"in": "body", "field": "email", "code": "invalid", "message": "bad"}
    ]
    checks = {"database": "ok", "broker": "error"}
    assert problem_body(ServiceUnavailable(checks), "/ready", "r")["checks"] == checks


def test_standard_headers_by_path() -> None:
    assert set(standard_headers("/api/v1/users", "r")) == {
        "X-Request-ID", "X-Content-Type-Options", "Deprecation", "Sunset", "Link"
    }  # fmt: skip
    assert standard_headers("/api/v2/auth/token", "r")["Cache-Control"] == "no-store"
    assert set(standard_headers("", "r")) == {"X-Request-ID", "X-Content-Type-Options"}


def test_timestamps_are_utc_with_microseconds_and_allow_is_sorted() -> None:
    when = datetime(2026, 12, 1, 18, 0, 0, 5, tzinfo=timezone(timedelta(hours=1)))
    assert format_timestamp(when) == "2026-12-01T17:00:00.000005Z"
    assert format_timestamp(when.astimezone(UTC)) == "2026-12-01T17:00:00.000005Z"
    assert allow_header(["PATCH", "GET", "DELETE", "GET"]) == "DELETE, GET, PATCH"

"""The contract's exact answers (contract/README.md), in one framework-free module.

Only the standard library and the error classes: gunicorn loads `core/gunicorn_worker.py`, which
imports this, in its master process; and every value here is fixed by the contract, so this
module can be diffed against contract/README.md and across the four services.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from app.core.errors import (
    AmbiguousHeaders,
    HeaderFieldsTooLarge,
    Problem,
    ServiceUnavailable,
    ValidationFailed,
)

MAX_BODY_BYTES = 65536
MAX_JSON_DEPTH = 32  # each object or array opens a level: {"a": [1]} is 2 deep
MAX_HEADER_FIELDS = 100
MAX_HEADER_BYTES = 16384  # name + value + CRLF of every field

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,128}\Z")
V1_HEADERS = {
    "Deprecation": "@1767225600",
    "Sunset": "Thu, 01 Jul 2027 00:00:00 GMT",
    "Link": '</api/v2/users>; rel="successor-version"',
}
TOKEN_PATHS = frozenset({"/api/v1/auth/token", "/api/v2/auth/token"})

TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_DESCRIPTIONS = {
    400: "Body (or v2 cursor) does not parse.",
    401: "Missing, malformed, expired, tampered or `alg=none` token; or its user is gone.",
    403: "A non-admin asked for an admin-only operation or field.",
    404: "No such user visible to the caller.",
    409: "The email is taken.",
    412: "If-Match does not match the current ETag.",
    413: "Body over 65536 bytes.",
    415: "Missing or wrong Content-Type.",
    422: "One entry in `errors` per invalid field.",
    428: "If-Match is missing.",
    429: "Too many failed logins for this email.",
    503: "The database is unreachable.",
}

HEADER_FLOOD_STATUS_LINE = "431 Request Header Fields Too Large"
AMBIGUOUS_HEADERS_STATUS_LINE = "400 Bad Request"


def standard_headers(path: str, request_id: str) -> dict[str, str]:
    """Headers every response carries, whatever produced it."""
    headers = {REQUEST_ID_HEADER: request_id, "X-Content-Type-Options": "nosniff"}
    if path.startswith("/api/v1/"):
        headers.update(V1_HEADERS)
    if path in TOKEN_PATHS:
        headers["Cache-Control"] = "no-store"
    return headers


def format_timestamp(value: datetime) -> str:
    if value.tzinfo is None:  # SQLite hands back naive UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime(TIMESTAMP_FORMAT)


def allow_header(methods: Iterable[str]) -> str:
    """The contract's `Allow`: every method, sorted (never HEAD or OPTIONS: both are 405)."""
    return ", ".join(sorted({m.upper() for m in methods} - {"HEAD", "OPTIONS"}))


def problem_body(error: Problem, instance: str, request_id: str) -> dict[str, Any]:
    """RFC 9457 problem details, with `errors` for a 422 and `checks` for /ready's 503."""
    body: dict[str, Any] = {
        "type": error.type,
        "title": error.title,
        "status": error.status,
        "detail": error.detail,
        "instance": instance,
        "request_id": request_id,
    }
    if isinstance(error, ValidationFailed):
        body["errors"] = [
            {"in": e.location, "field": e.field, "code": e.code, "message": e.message}
            for e in error.errors
        ]
    if isinstance(error, ServiceUnavailable) and error.checks is not None:
        body["checks"] = dict(error.checks)
    return body


def header_flood_body(request_id: str) -> bytes:
    """The 431 (contract §3). No routed request, so no path to name: `instance` is empty."""
    return json.dumps(problem_body(HeaderFieldsTooLarge(), "", request_id)).encode()


def ambiguous_headers_body(request_id: str) -> bytes:
    """The 400 for a repeated singleton field (contract §9): refused before routing like the 431."""
    return json.dumps(problem_body(AmbiguousHeaders(), "", request_id)).encode()


def header_flood_headers(request_id: str, body: bytes) -> list[tuple[str, str]]:
    """The headers of a refused head (the 431, the ambiguous 400) besides `Connection: close`
    (which only the server may send)."""
    return [
        ("Content-Type", PROBLEM_MEDIA_TYPE),
        ("Content-Length", str(len(body))),
        *standard_headers("", request_id).items(),
    ]

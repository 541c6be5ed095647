"""The contract's exact values (contract/README.md). Standard library only: no Flask here."""

from __future__ import annotations

import re
from datetime import UTC, datetime

MAX_BODY_BYTES = 65536
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,128}\Z")
V1_HEADERS = {
    "Deprecation": "@1767225600",
    "Sunset": "Thu, 01 Jul 2027 00:00:00 GMT",
    "Link": '</api/v2/users>; rel="successor-version"',
}
TOKEN_PATHS = ("/api/v1/auth/token", "/api/v2/auth/token")
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def format_timestamp(value: datetime) -> str:
    if value.tzinfo is None:  # SQLite hands back naive UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime(TIMESTAMP_FORMAT)


def standard_headers(path: str, request_id: str) -> dict[str, str]:
    """The headers every answer carries, by path: request id, nosniff, v1's, the token's."""
    headers = {"X-Request-ID": request_id, "X-Content-Type-Options": "nosniff"}
    if path.startswith("/api/v1/"):
        headers.update(V1_HEADERS)
    if path in TOKEN_PATHS:
        headers["Cache-Control"] = "no-store"
    return headers

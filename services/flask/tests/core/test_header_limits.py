"""Header floods: the WSGI middleware counts fields and their total size (431)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from app.core.contract import MAX_HEADER_BYTES as MAX_BYTES
from app.core.contract import MAX_HEADER_FIELDS as MAX_FIELDS
from app.core.header_limits import HeaderLimitMiddleware, environ_section
from flask.testing import FlaskClient

PROBLEM = {
    "type": "/problems/header-fields-too-large",
    "title": "Request header fields too large",
    "status": 431,
    "detail": "Request header section exceeds 100 fields or 16384 bytes",
    "instance": "",
}


def fields(count: int, value: str = "1") -> dict[str, str]:
    return {f"X-F{i}": value for i in range(count)}


def assert_431(status: int, headers: Any, body: bytes, sent_id: str) -> None:
    assert status == 431
    assert json.loads(body) == {**PROBLEM, "request_id": headers["X-Request-ID"]}
    assert headers["X-Request-ID"] != sent_id
    assert headers["Content-Type"] == "application/problem+json"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Connection"] == "close"


@pytest.mark.parametrize("path", ["/api/v1/users", "/nope"])
def test_more_than_100_fields_is_431_before_routing(client: FlaskClient, path: str) -> None:
    resp = client.post(path, headers={**fields(MAX_FIELDS + 1), "X-Request-ID": "flood-1"})
    assert_431(resp.status_code, resp.headers, resp.data, "flood-1")
    assert "Deprecation" not in resp.headers


def test_more_than_16_kib_in_all_is_431(client: FlaskClient) -> None:
    resp = client.get("/health", headers=fields(20, "v" * 1000))
    assert_431(resp.status_code, resp.headers, resp.data, "")


def test_a_section_within_the_bounds_is_served(client: FlaskClient) -> None:
    assert client.get("/health", headers=fields(50, "v" * 100)).status_code == 200


def test_section_counts_http_headers_and_the_two_unprefixed_ones() -> None:
    environ = {"HTTP_HOST": "a", "CONTENT_TYPE": "bb", "CONTENT_LENGTH": "", "SERVER_NAME": "x"}
    assert environ_section(environ) == (3, (4 + 1 + 2) + (12 + 2 + 2) + (14 + 0 + 2))


def test_the_refusal_asks_gunicorn_to_close_the_connection() -> None:
    class ServerResponse:
        closed = False

        def force_close(self) -> None:
            self.closed = True

        def start_response(self, status: str, headers: list[tuple[str, str]]) -> None:
            self.status = status

    server = ServerResponse()
    middleware = HeaderLimitMiddleware(lambda environ, start: [b"not reached"])
    body = b"".join(middleware({"HTTP_X_BIG": "b" * MAX_BYTES}, server.start_response))
    assert server.status == "431 Request Header Fields Too Large"
    assert server.closed
    assert json.loads(body)["status"] == 431

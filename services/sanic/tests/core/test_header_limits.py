"""Header floods through a real Sanic HTTP/1.1 server (sanic-testing's test client)."""

from __future__ import annotations

from typing import Any

import pytest
from app.core.contract import MAX_HEADER_BYTES, MAX_HEADER_FIELDS
from sanic import Sanic

PROBLEM = {
    "type": "/problems/header-fields-too-large",
    "title": "Request header fields too large",
    "status": 431,
    "detail": "Request header section exceeds 100 fields or 16384 bytes",
    "instance": "",
}


def fields(count: int, value: str = "1") -> dict[str, str]:
    return {f"x-f{i}": value for i in range(count)}


def assert_431(resp: Any, sent_id: str) -> None:
    assert resp.status == 431, resp.text
    assert resp.json == {**PROBLEM, "request_id": resp.headers["x-request-id"]}
    assert resp.headers["x-request-id"] != sent_id
    assert resp.headers["content-type"] == "application/problem+json"
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert resp.headers["connection"] == "close"
    assert "deprecation" not in resp.headers


@pytest.mark.parametrize("path", ["/api/v1/users", "/nope"])
def test_more_than_100_fields_is_431_before_routing(app: Sanic[Any, Any], path: str) -> None:
    headers = {**fields(MAX_HEADER_FIELDS), "x-request-id": "flood-1"}
    _, resp = app.test_client.post(path, headers=headers, content=b"{}")
    assert_431(resp, "flood-1")


def test_a_head_past_16_kib_is_431_not_413(app: Sanic[Any, Any]) -> None:
    _, resp = app.test_client.get("/health", headers={"x-big": "b" * MAX_HEADER_BYTES})
    assert_431(resp, "")


def test_a_body_past_the_limit_is_still_413(app: Sanic[Any, Any]) -> None:
    _, resp = app.test_client.post(
        "/api/v2/users", content=b"x" * 70_000, headers={"content-type": "application/json"}
    )
    assert resp.status == 413
    assert resp.json["instance"] == "/api/v2/users"


def test_50_fields_and_8_kib_are_served(app: Sanic[Any, Any]) -> None:
    _, resp = app.test_client.get("/health", headers=fields(45, "v" * 160))
    assert resp.status == 200
    _, resp = app.test_client.get("/health", headers={"x-big": "b" * 8000})
    assert resp.status == 200


def test_a_repeated_singleton_field_is_400_before_routing(app: Sanic[Any, Any]) -> None:
    """Content-Type here; a repeated Host (which this client refuses to send) is in the parity
    corpus, sent raw to the real server."""
    field = "content-type"
    headers = [(field, "application/json"), (field, "text/plain"), ("x-request-id", "twice-1")]
    _, resp = app.test_client.post("/api/v1/users", headers=headers, content=b"{}")
    assert resp.status == 400, resp.text
    assert resp.json == {
        "type": "/problems/malformed-request",
        "title": "Malformed request",
        "status": 400,
        "detail": "Request header fields are ambiguous",
        "instance": "",
        "request_id": resp.headers["x-request-id"],
    }
    assert resp.headers["connection"] == "close"
    assert resp.headers["x-request-id"] != "twice-1"
    assert "deprecation" not in resp.headers


def test_repeated_other_fields_are_served(app: Sanic[Any, Any]) -> None:
    _, resp = app.test_client.get("/health", headers=[("accept", "a/b"), ("accept", "c/d")])
    assert resp.status == 200



def test_a_repeated_request_id_is_one_invalid_value(app: Sanic[Any, Any]) -> None:
    _, resp = app.test_client.get("/health", headers=[("x-request-id", "abc")] * 2)
    assert resp.status == 200
    assert resp.headers["x-request-id"] not in ("abc", "abc, abc")

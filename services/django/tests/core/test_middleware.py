"""The middleware: the request context (id, headers every response carries) and header floods
(HeaderLimitMiddleware: fields and total size, and the section count)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from usersapi.core.contract import MAX_HEADER_FIELDS
from usersapi.core.middleware import BODY_LEFT_UNREAD, environ_section

pytestmark = pytest.mark.django_db


def test_v1_responses_carry_deprecation_headers(client: Client) -> None:
    resp = client.get("/api/v1/users/me")
    assert resp.status_code == 401
    assert resp["WWW-Authenticate"] == "Bearer"
    assert resp["Deprecation"] == "@1767225600"
    assert resp["Link"] == '</api/v2/users>; rel="successor-version"'


def test_incoming_request_id_is_kept_only_when_well_formed(client: Client) -> None:
    assert (
        client.get("/health", headers={"X-Request-ID": "abc.DEF-1_2"})["X-Request-ID"]
        == "abc.DEF-1_2"
    )
    assert client.get("/health", headers={"X-Request-ID": "bad id!"})["X-Request-ID"] != "bad id!"


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


@pytest.mark.parametrize("path", ["/api/v1/users", "/nope"])
def test_more_than_100_fields_is_431_before_routing(client: Client, path: str) -> None:
    resp = client.post(path, headers={**fields(MAX_HEADER_FIELDS + 1), "X-Request-ID": "flood-1"})
    assert_431(resp.status_code, resp, resp.content, "flood-1")
    assert "Deprecation" not in resp
    assert resp.wsgi_request.META[BODY_LEFT_UNREAD] is True  # so the connection closes


def test_more_than_16_kib_in_all_is_431(client: Client) -> None:
    resp = client.get("/health", headers=fields(20, "v" * 1000))
    assert_431(resp.status_code, resp, resp.content, "")


def test_a_section_within_the_bounds_is_served(client: Client) -> None:
    assert client.get("/health", headers=fields(50, "v" * 100)).status_code == 200


def test_section_counts_http_headers_and_the_two_unprefixed_ones() -> None:
    environ = {"HTTP_HOST": "a", "CONTENT_TYPE": "bb", "CONTENT_LENGTH": "", "SERVER_NAME": "x"}
    assert environ_section(environ) == (3, (4 + 1 + 2) + (12 + 2 + 2) + (14 + 0 + 2))


def test_no_document_policies_on_json_answers(client: Client) -> None:
    """Contract §9: Django's Referrer-Policy and Cross-Origin-Opener-Policy are off."""
    resp = client.get("/health")
    assert "Referrer-Policy" not in resp
    assert "Cross-Origin-Opener-Policy" not in resp

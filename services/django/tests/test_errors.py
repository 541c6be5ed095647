"""problem+json from every layer: Django's resolver, DRF views, our order of checks."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import JSON

pytestmark = pytest.mark.django_db


def test_unknown_route_and_trailing_slash_are_problem_404(client: Client) -> None:
    for path in ("/nope", "/api/v1/users/"):
        resp = client.get(path)
        assert resp.status_code == 404
        assert resp["Content-Type"] == "application/problem+json"
        body = resp.json()
        assert body["type"] == "/problems/not-found"
        assert body["instance"] == path
        assert body["request_id"] == resp["X-Request-ID"]


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("head", "/health", "GET"),
        ("options", "/api/v2/users", "GET, POST"),
        ("put", "/api/v1/users/1", "DELETE, GET, PATCH"),
        ("delete", "/api/v2/users/me", "GET"),
        ("get", "/api/v1/auth/token", "POST"),
        ("post", "/openapi.json", "GET"),
    ],
)
def test_wrong_method_is_405_before_auth(
    client: Client, method: str, path: str, allow: str
) -> None:
    resp = getattr(client, method)(path)
    assert resp.status_code == 405
    assert resp["Allow"] == allow
    assert resp["Content-Type"] == "application/problem+json"


def test_size_then_media_type_then_body(client: Client) -> None:
    big = b"{" + b" " * 65536 + b"}"
    assert client.post("/api/v2/users", big, content_type="text/plain").status_code == 413
    assert client.post("/api/v2/users", b"{}", content_type="text/plain").status_code == 415
    assert client.post("/api/v2/users", b"{", content_type=JSON).status_code == 400
    lone_surrogate = b'{"email": "a@b.co", "name": "\\ud800", "password": "12345678"}'
    assert client.post("/api/v2/users", lone_surrogate, content_type=JSON).status_code == 400


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

"""ApiView's order of checks: 405 (before authentication), then 413, 415, then the body (400)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import JSON

pytestmark = pytest.mark.django_db


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

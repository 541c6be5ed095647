"""RequestContextMiddleware: the request id and the headers every response carries."""

from __future__ import annotations

import pytest
from django.test import Client

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

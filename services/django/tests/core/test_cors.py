"""ContractCorsMiddleware: django-cors-headers with the contract's preflight and OPTIONS rules."""

from __future__ import annotations

import pytest
from django.http.response import HttpResponseBase
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

pytestmark = pytest.mark.django_db

ALLOWED = "https://app.example.com"


@pytest.fixture
def cors(settings: SettingsWrapper) -> None:
    """What settings.py installs when CORS_ORIGINS is set."""
    settings.CORS_ALLOWED_ORIGINS = [ALLOWED]
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "corsheaders"]
    middleware = list(settings.MIDDLEWARE)
    inside = middleware.index("usersapi.core.middleware.RequestContextMiddleware") + 1
    middleware.insert(inside, "usersapi.core.cors.ContractCorsMiddleware")
    settings.MIDDLEWARE = middleware


def access_control(resp: HttpResponseBase) -> dict[str, str]:
    return {k.lower(): v for k, v in resp.items() if k.lower().startswith("access-control-")}


@pytest.mark.usefixtures("cors")
@pytest.mark.parametrize("path", ["/api/v1/users", "/nope"])
def test_a_listed_origins_preflight_is_204_with_the_fixed_lists_on_any_path(
    client: Client, path: str
) -> None:
    resp = client.options(
        path,
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "x-not-listed",
        },
    )
    assert resp.status_code == 204
    assert resp.content == b""
    assert "Content-Type" not in resp
    assert access_control(resp) == {
        "access-control-allow-origin": ALLOWED,
        "access-control-allow-methods": "DELETE, GET, PATCH, POST",
        "access-control-allow-headers": "Authorization, Content-Type, If-Match, X-Request-ID",
        "access-control-max-age": "600",
    }
    assert resp["Vary"] == "origin"
    assert resp["X-Request-ID"]
    assert ("Deprecation" in resp) is path.startswith("/api/v1/")


@pytest.mark.usefixtures("cors")
@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example.net", "Access-Control-Request-Method": "POST"},
        {"Origin": ALLOWED + "/", "Access-Control-Request-Method": "POST"},  # exact origins only
        {"Origin": ALLOWED},  # no Access-Control-Request-Method: not a preflight
        {"Access-Control-Request-Method": "POST"},
    ],
)
def test_any_other_options_is_routed_and_grants_nothing(
    client: Client, headers: dict[str, str]
) -> None:
    resp = client.options("/api/v2/users", headers=headers)
    assert resp.status_code == 405
    assert resp["Allow"] == "GET, POST"
    assert resp["Content-Type"] == "application/problem+json"
    assert access_control(resp) == {}
    assert "origin" in resp["Vary"].lower()
    assert client.options("/nope", headers=headers).status_code == 404


@pytest.mark.usefixtures("cors")
def test_answers_to_a_listed_origin_expose_the_contract_headers(client: Client) -> None:
    resp = client.get("/api/v1/users/me", headers={"Origin": ALLOWED})
    assert resp.status_code == 401
    assert access_control(resp) == {
        "access-control-allow-origin": ALLOWED,
        "access-control-expose-headers": (
            "Deprecation, ETag, Link, Location, Retry-After, Sunset, X-Request-ID"
        ),
    }
    assert "origin" in resp["Vary"].lower()
    other = client.get("/health", headers={"Origin": "https://evil.example.net"})
    assert access_control(other) == {}
    assert "origin" in other["Vary"].lower()


def test_without_origins_there_is_no_cors(client: Client) -> None:
    resp = client.options(
        "/api/v2/users", headers={"Origin": ALLOWED, "Access-Control-Request-Method": "POST"}
    )
    assert resp.status_code == 405
    assert access_control(resp) == {}
    assert "origin" not in client.get("/health", headers={"Origin": ALLOWED}).get("Vary", "")

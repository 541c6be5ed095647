"""CORS: flask-cors configured by app/core/cors.py, with the contract's exact answers (§4)."""

from __future__ import annotations

import pytest
from app import create_app
from app.core.config import Settings
from app.core.db import Base
from app.extensions import db
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

ALLOWED = "https://app.example"
OTHER = "https://evil.example"
PREFLIGHT = {"Origin": ALLOWED, "Access-Control-Request-Method": "POST"}


@pytest.fixture(params=[ALLOWED, f"{ALLOWED}, https://second.example"], ids=["one", "two"])
def cors_client(settings: Settings, request: pytest.FixtureRequest) -> FlaskClient:
    """flask-cors varies by itself only when several origins are listed: both ways."""
    settings.cors_origins = request.param
    app = create_app(settings, TESTING=True)
    with app.app_context():
        Base.metadata.create_all(db.engine)
    return app.test_client()


def access_control(resp: TestResponse) -> dict[str, str]:
    return {k: v for k, v in resp.headers.items() if k.lower().startswith("access-control-")}


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        ("/api/v2/users", {"Access-Control-Request-Headers": "content-type"}),
        ("/api/v1/users/me", {"Access-Control-Request-Method": "PUT"}),  # not a listed method
        ("/nope", {"Access-Control-Request-Headers": "x-not-listed"}),  # not routed
        ("/health", {"Access-Control-Request-Private-Network": "true"}),
    ],
)
def test_a_preflight_is_204_with_the_fixed_lists_on_any_path(
    cors_client: FlaskClient, path: str, extra: dict[str, str]
) -> None:
    resp = cors_client.options(path, headers=PREFLIGHT | extra)
    assert resp.status_code == 204
    assert resp.data == b""
    assert "Content-Type" not in resp.headers
    assert access_control(resp) == {
        "Access-Control-Allow-Origin": ALLOWED,
        "Access-Control-Allow-Methods": "DELETE, GET, PATCH, POST",
        "Access-Control-Allow-Headers": "Authorization, Content-Type, If-Match, X-Request-ID",
        "Access-Control-Max-Age": "600",
    }
    assert resp.headers.get_all("Vary") == ["Origin"]
    assert resp.headers["X-Request-ID"]
    assert ("Deprecation" in resp.headers) == path.startswith("/api/v1/")


@pytest.mark.parametrize(
    "headers",
    [
        PREFLIGHT | {"Origin": OTHER},
        {"Origin": ALLOWED},
        {"Access-Control-Request-Method": "POST"},
        PREFLIGHT | {"Access-Control-Request-Private-Network": "true", "Origin": OTHER},
    ],
)
def test_any_other_options_is_routed_and_grants_nothing(
    cors_client: FlaskClient, headers: dict[str, str]
) -> None:
    resp = cors_client.options("/api/v2/users", headers=headers)
    assert resp.status_code == 405
    assert resp.headers["Allow"] == "GET, POST"
    assert access_control(resp) == {}
    assert "Origin" in resp.vary
    assert cors_client.options("/nope", headers=headers).status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/health", 200), ("GET", "/api/v1/users/me", 401), ("DELETE", "/nope", 404)],
)
def test_every_answer_to_a_listed_origin_grants_it_and_exposes_the_headers(
    cors_client: FlaskClient, method: str, path: str, status: int
) -> None:
    resp = cors_client.open(
        path,
        method=method,
        headers={"Origin": ALLOWED, "Access-Control-Request-Private-Network": "true"},
    )
    assert resp.status_code == status
    assert access_control(resp) == {
        "Access-Control-Allow-Origin": ALLOWED,
        "Access-Control-Expose-Headers": (
            "Deprecation, ETag, Link, Location, Retry-After, Sunset, X-Request-ID"
        ),
    }
    assert "Origin" in resp.vary


@pytest.mark.parametrize("headers", [{"Origin": OTHER}, {}])
def test_another_or_no_origin_gets_vary_and_nothing_else(
    cors_client: FlaskClient, headers: dict[str, str]
) -> None:
    resp = cors_client.get("/health", headers=headers)
    assert resp.status_code == 200
    assert access_control(resp) == {}
    assert resp.headers.get_all("Vary") == ["Origin"]


def test_without_cors_origins_there_is_no_cors_at_all(client: FlaskClient) -> None:
    resp = client.options("/api/v2/users", headers=PREFLIGHT)
    assert resp.status_code == 405
    assert access_control(resp) == {}
    get = client.get("/health", headers={"Origin": ALLOWED})
    assert access_control(get) == {}
    assert "Vary" not in get.headers


def test_the_origin_is_compared_exactly(cors_client: FlaskClient) -> None:
    """Case and all (contract §9): browsers send the serialised origin in lower case."""
    upper = cors_client.get("/health", headers={"Origin": ALLOWED.upper()})
    assert access_control(upper) == {}
    longer = cors_client.get("/health", headers={"Origin": ALLOWED + ".evil"})
    assert access_control(longer) == {}
    exact = cors_client.get("/health", headers={"Origin": ALLOWED})
    assert exact.headers["Access-Control-Allow-Origin"] == ALLOWED
    preflight = cors_client.options("/health", headers=PREFLIGHT | {"Origin": ALLOWED.upper()})
    assert preflight.status_code == 405

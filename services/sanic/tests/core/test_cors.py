"""CORS (contract "CORS (decision)"): sanic-ext's CORS plus app.core.cors."""

from __future__ import annotations

from typing import Any

import pytest
from app.core.config import Settings
from app.core.contract import MAX_HEADER_FIELDS
from app.core.cors import ALLOW_HEADERS, ALLOW_METHODS, EXPOSE_HEADERS
from app.main import create_app
from sanic import Sanic

ALLOWED = "http://example.com"
OTHER = "http://other.example"


@pytest.fixture
def cors_app(settings: Settings) -> Sanic[Any, Any]:
    Sanic.test_mode = True
    return create_app(settings=settings.model_copy(update={"cors_origins": f" {ALLOWED} ,"}))


def access_control(resp: Any) -> set[str]:
    return {k.lower() for k in resp.headers if k.lower().startswith("access-control-")}


@pytest.mark.parametrize(
    ("path", "requested"),
    [("/api/v2/users", "content-type"), ("/api/v1/users/1", "x-other"), ("/nope", None)],
)
async def test_a_preflight_is_204_with_the_fixed_lists_on_any_path(
    cors_app: Sanic[Any, Any], path: str, requested: str | None
) -> None:
    headers = {"origin": ALLOWED, "access-control-request-method": "GET"}
    if requested:
        headers["access-control-request-headers"] = requested
    _, resp = await cors_app.asgi_client.options(path, headers=headers)
    assert resp.status == 204
    assert resp.body == b""
    assert "content-type" not in resp.headers
    assert "allow" not in resp.headers
    assert resp.headers["access-control-allow-origin"] == ALLOWED
    assert resp.headers["access-control-allow-methods"] == ALLOW_METHODS
    assert resp.headers["access-control-allow-headers"] == ALLOW_HEADERS
    assert resp.headers["access-control-max-age"] == "600"
    assert access_control(resp) == {
        "access-control-allow-origin",
        "access-control-allow-methods",
        "access-control-allow-headers",
        "access-control-max-age",
    }
    assert resp.headers["vary"] == "Origin"
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert ("deprecation" in resp.headers) == path.startswith("/api/v1/")


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": OTHER, "access-control-request-method": "POST"},
        {"origin": ALLOWED},
        {"access-control-request-method": "POST"},
        {},
    ],
)
async def test_any_other_options_is_routed_as_usual(
    cors_app: Sanic[Any, Any], headers: dict[str, str]
) -> None:
    _, resp = await cors_app.asgi_client.options("/api/v2/users", headers=headers)
    assert resp.status == 405
    assert resp.headers["allow"] == "GET, POST"
    assert not access_control(resp)
    assert resp.headers["vary"] == "Origin"
    _, resp = await cors_app.asgi_client.options("/nope", headers=headers)
    assert resp.status == 404
    assert not access_control(resp)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("get", "/health", 200), ("delete", "/health", 405), ("get", "/api/v2/users/me", 401)],
)
async def test_an_answer_to_a_listed_origin_grants_it_and_exposes_the_headers(
    cors_app: Sanic[Any, Any], method: str, path: str, status: int
) -> None:
    _, resp = await getattr(cors_app.asgi_client, method)(path, headers={"origin": ALLOWED})
    assert resp.status == status
    assert resp.headers["access-control-allow-origin"] == ALLOWED
    assert resp.headers["access-control-expose-headers"] == EXPOSE_HEADERS
    assert access_control(resp) == {"access-control-allow-origin", "access-control-expose-headers"}
    assert resp.headers["vary"] == "Origin"


@pytest.mark.parametrize("headers", [{"origin": OTHER}, {}])
async def test_an_answer_to_another_or_no_origin_only_varies(
    cors_app: Sanic[Any, Any], headers: dict[str, str]
) -> None:
    _, resp = await cors_app.asgi_client.get("/health", headers=headers)
    assert resp.status == 200
    assert not access_control(resp)
    assert resp.headers["vary"] == "Origin"


async def test_without_origins_there_is_no_cors(app: Sanic[Any, Any]) -> None:
    preflight = {"origin": ALLOWED, "access-control-request-method": "POST"}
    _, resp = await app.asgi_client.options("/api/v2/users", headers=preflight)
    assert resp.status == 405
    assert resp.headers["allow"] == "GET, POST"
    _, resp = await app.asgi_client.get("/health", headers={"origin": ALLOWED})
    assert not access_control(resp)
    assert "vary" not in resp.headers


def test_the_431_refusal_is_exempt(cors_app: Sanic[Any, Any]) -> None:
    headers = {"origin": ALLOWED, **{f"x-f{i}": "1" for i in range(MAX_HEADER_FIELDS)}}
    _, resp = cors_app.test_client.get("/health", headers=headers)
    assert resp.status == 431
    assert not access_control(resp)
    assert "vary" not in resp.headers

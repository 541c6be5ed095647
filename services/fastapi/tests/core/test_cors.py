from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.core.config import Settings
from app.core.contract import V1_HEADERS
from app.core.cors import ALLOW_HEADERS, ALLOW_METHODS, EXPOSE_HEADERS
from app.main import create_app

ALLOWED = "https://app.example"
OTHER = "https://evil.example"
PREFLIGHT = {"Origin": ALLOWED, "Access-Control-Request-Method": "POST"}


@pytest.fixture
def cors_app(settings: Settings) -> FastAPI:
    return create_app(settings.model_copy(update={"cors_origins": [ALLOWED]}))


@pytest.fixture
def cors_client(cors_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(cors_app) as client:
        yield client


def access_control(headers: dict[str, str]) -> set[str]:
    return {k.lower() for k in headers if k.lower().startswith("access-control-")}


def test_without_origins_there_is_no_cors(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        preflight = client.options("/api/v2/users", headers=PREFLIGHT)
        assert preflight.status_code == 405
        get = client.get("/health", headers={"Origin": ALLOWED})
    assert not access_control(dict(preflight.headers)) | access_control(dict(get.headers))
    assert "vary" not in get.headers


@pytest.mark.parametrize("path", ["/api/v2/users", "/api/v1/users/1", "/nope"])
def test_preflight_is_204_with_the_fixed_lists_on_any_path(
    cors_client: TestClient, path: str
) -> None:
    headers = {**PREFLIGHT, "Access-Control-Request-Headers": "x-not-listed, accept"}
    response = cors_client.options(path, headers=headers)
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert response.headers["Access-Control-Allow-Methods"] == ", ".join(ALLOW_METHODS)
    assert response.headers["Access-Control-Allow-Headers"] == ", ".join(ALLOW_HEADERS)
    assert response.headers["Access-Control-Max-Age"] == "600"
    assert response.headers["Vary"] == "Origin"
    assert "access-control-allow-credentials" not in response.headers
    assert response.headers["X-Request-ID"]
    assert (response.headers.get("Deprecation") is not None) == path.startswith("/api/v1/")
    if path.startswith("/api/v1/"):
        assert response.headers["Sunset"] == V1_HEADERS["Sunset"]


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": OTHER, "Access-Control-Request-Method": "POST"},
        {"Origin": ALLOWED},
        {"Access-Control-Request-Method": "POST"},
    ],
)
def test_other_options_are_routed_and_grant_nothing(
    cors_client: TestClient, headers: dict[str, str]
) -> None:
    response = cors_client.options("/api/v2/users", headers=headers)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, POST"
    assert not access_control(dict(response.headers))
    assert response.headers["Vary"] == "Origin"
    assert cors_client.options("/nope", headers=headers).status_code == 404


def test_answers_grant_a_listed_origin_and_only_vary_for_others(cors_client: TestClient) -> None:
    granted = cors_client.get("/api/v2/users/me", headers={"Origin": ALLOWED})
    assert granted.status_code == 401
    assert granted.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert granted.headers["Access-Control-Expose-Headers"] == ", ".join(EXPOSE_HEADERS)
    assert access_control(dict(granted.headers)) == {
        "access-control-allow-origin",
        "access-control-expose-headers",
    }
    assert granted.headers["Vary"] == "Origin"
    for headers in ({"Origin": OTHER}, {}):
        response = cors_client.get("/health", headers=headers)
        assert response.status_code == 200
        assert not access_control(dict(response.headers))
        assert response.headers["Vary"] == "Origin"


def test_an_unexpected_error_is_granted_too(cors_app: FastAPI) -> None:
    @cors_app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    with TestClient(cors_app, raise_server_exceptions=False) as client:
        granted = client.get("/boom", headers={"Origin": ALLOWED})
        other = client.get("/boom", headers={"Origin": OTHER})
    assert granted.status_code == other.status_code == 500
    assert granted.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert granted.headers["Access-Control-Expose-Headers"] == ", ".join(EXPOSE_HEADERS)
    assert granted.headers["Vary"] == other.headers["Vary"] == "Origin"
    assert not access_control(dict(other.headers))

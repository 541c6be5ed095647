"""CORS with CORS_ORIGINS set, exactly as contract/README.md §4 "CORS" says."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.assertions import V1_HEADERS, assert_allow, assert_problem, describe
from tests.support.live import LiveService, StartupError, live_service
from tests.support.users import unique_email

ALLOWED = "https://app.example.com"
OTHER = "https://evil.example.net"


@pytest.fixture(scope="module")
def cors_api(
    service: LiveService, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    """The service under test once more, with CORS_ORIGINS set (the session's has none)."""
    tmp_dir: Path = tmp_path_factory.mktemp(f"{service.name}-cors")
    try:
        with (
            live_service(
                service.name, service.backend, tmp_dir, extra_env={"CORS_ORIGINS": ALLOWED}
            ) as live,
            httpx.Client(base_url=live.base_url, timeout=30.0) as client,
        ):
            yield client
    except StartupError as exc:
        pytest.fail(str(exc), pytrace=False)


def tokens(resp: httpx.Response, name: str) -> set[str]:
    return {t.strip().lower() for v in resp.headers.get_list(name) for t in v.split(",") if t}


def vary(resp: httpx.Response) -> set[str]:
    return tokens(resp, "Vary")


ALLOW_METHODS = {"delete", "get", "patch", "post"}
ALLOW_HEADERS = {"authorization", "content-type", "if-match", "x-request-id"}
EXPOSE_HEADERS = {
    "deprecation", "etag", "link", "location", "retry-after", "sunset", "x-request-id",
}  # fmt: skip


def access_control(resp: httpx.Response) -> set[str]:
    return {k.lower() for k in resp.headers if k.lower().startswith("access-control-")}


@pytest.mark.parametrize(
    ("path", "method", "requested"),
    [
        ("/api/v2/users", "POST", "content-type"),
        ("/api/v2/users/me", "GET", "authorization,x-request-id"),
        ("/api/v1/auth/token", "POST", "content-type"),
        ("/api/v2/users/00000000-0000-0000-0000-000000000000", "PATCH", "x-not-listed"),
        ("/nope", "GET", ""),
    ],
)
def test_preflight_from_an_allowed_origin_is_204_with_the_fixed_lists(
    cors_api: httpx.Client, path: str, method: str, requested: str
) -> None:
    headers = {"Origin": ALLOWED, "Access-Control-Request-Method": method}
    if requested:
        headers["Access-Control-Request-Headers"] = requested
    resp = cors_api.options(path, headers=headers)
    assert resp.status_code == 204, describe(resp)
    assert resp.content == b"", describe(resp)
    assert "Content-Type" not in resp.headers, describe(resp)
    assert resp.headers.get_list("Access-Control-Allow-Origin") == [ALLOWED], describe(resp)
    assert tokens(resp, "Access-Control-Allow-Methods") == ALLOW_METHODS, describe(resp)
    assert tokens(resp, "Access-Control-Allow-Headers") == ALLOW_HEADERS, describe(resp)
    assert resp.headers.get("Access-Control-Max-Age") == "600", describe(resp)
    assert access_control(resp) == {
        "access-control-allow-origin", "access-control-allow-methods",
        "access-control-allow-headers", "access-control-max-age",
    }, describe(resp)  # fmt: skip
    assert "origin" in vary(resp), describe(resp)
    assert resp.headers.get("X-Request-ID"), describe(resp)
    assert resp.headers.get("X-Content-Type-Options") == "nosniff", describe(resp)
    for name, value in V1_HEADERS.items():
        expected = value if path.startswith("/api/v1/") else None
        assert resp.headers.get(name) == expected, describe(resp)


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/api/v2/users", {"Origin": OTHER, "Access-Control-Request-Method": "POST"}),
        ("/api/v2/users", {"Origin": ALLOWED}),
        ("/api/v2/users", {"Access-Control-Request-Method": "POST"}),
    ],
)
def test_options_that_is_not_an_allowed_preflight_is_405(
    cors_api: httpx.Client, path: str, headers: dict[str, str]
) -> None:
    resp = cors_api.options(path, headers=headers)
    assert_problem(resp, 405, "/problems/method-not-allowed")
    assert_allow(resp, "GET, POST")
    assert not access_control(resp), describe(resp)
    assert "origin" in vary(resp), describe(resp)


def test_preflight_from_another_origin_on_an_unknown_path_is_404(cors_api: httpx.Client) -> None:
    resp = cors_api.options(
        "/nope", headers={"Origin": OTHER, "Access-Control-Request-Method": "GET"}
    )
    assert_problem(resp, 404, "/problems/not-found")
    assert not access_control(resp), describe(resp)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/health", 200),
        ("GET", "/api/v2/users/me", 401),
        ("GET", "/api/v1/users/me", 401),
        ("GET", "/nope", 404),
        ("DELETE", "/health", 405),
    ],
)
def test_an_answer_to_an_allowed_origin_grants_it_and_exposes_the_headers(
    cors_api: httpx.Client, method: str, path: str, status: int
) -> None:
    resp = cors_api.request(method, path, headers={"Origin": ALLOWED})
    assert resp.status_code == status, describe(resp)
    assert resp.headers.get_list("Access-Control-Allow-Origin") == [ALLOWED], describe(resp)
    assert tokens(resp, "Access-Control-Expose-Headers") == EXPOSE_HEADERS, describe(resp)
    assert access_control(resp) == {
        "access-control-allow-origin", "access-control-expose-headers",
    }, describe(resp)  # fmt: skip
    assert "origin" in vary(resp), describe(resp)


@pytest.mark.parametrize("origin", [OTHER, None])
@pytest.mark.parametrize(("path", "status"), [("/health", 200), ("/api/v2/users/me", 401)])
def test_an_answer_to_another_or_no_origin_grants_nothing_but_varies(
    cors_api: httpx.Client, path: str, status: int, origin: str | None
) -> None:
    resp = cors_api.get(path, headers={"Origin": origin} if origin else {})
    assert resp.status_code == status, describe(resp)
    assert not access_control(resp), describe(resp)
    assert "origin" in vary(resp), describe(resp)


def test_a_created_user_exposes_its_location_to_an_allowed_origin(cors_api: httpx.Client) -> None:
    body = {"email": unique_email("cors"), "name": "Cors User", "password": "a-long-password-1"}
    resp = cors_api.post("/api/v2/users", json=body, headers={"Origin": ALLOWED})
    assert resp.status_code == 201, describe(resp)
    assert resp.headers.get_list("Access-Control-Allow-Origin") == [ALLOWED], describe(resp)
    assert "location" in tokens(resp, "Access-Control-Expose-Headers"), describe(resp)


def test_without_cors_origins_there_is_no_cors_at_all(api: httpx.Client) -> None:
    resp = api.options(
        "/api/v2/users", headers={"Origin": ALLOWED, "Access-Control-Request-Method": "POST"}
    )
    assert_problem(resp, 405, "/problems/method-not-allowed")
    assert not access_control(resp), describe(resp)
    get = api.get("/health", headers={"Origin": ALLOWED})
    assert get.status_code == 200, describe(get)
    assert not access_control(get), describe(get)
    assert "origin" not in vary(get), describe(get)

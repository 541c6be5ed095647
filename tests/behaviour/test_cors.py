"""CORS with CORS_ORIGINS set: contract/README.md §1 says only that OPTIONS answers CORS
preflights, and only when CORS_ORIGINS is set. It has no CORS section, so this pins what all four
services agree on (recorded by the parity corpus's `cors` steps); where they differ (preflight
status 200 or 204, Allow-Methods/-Headers, Max-Age, Expose-Headers, Vary on every answer, a
preflight from another origin) nothing is pinned here and tests/parity reports the difference.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.assertions import assert_allow, assert_problem, describe
from tests.support.live import LiveService, StartupError, live_service

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


def vary(resp: httpx.Response) -> set[str]:
    return {t.strip().lower() for v in resp.headers.get_list("Vary") for t in v.split(",")}


@pytest.mark.parametrize(
    ("path", "method"),
    [("/api/v2/users", "POST"), ("/api/v2/users/me", "GET"), ("/api/v1/auth/token", "POST")],
)
def test_preflight_from_an_allowed_origin_is_allowed(
    cors_api: httpx.Client, path: str, method: str
) -> None:
    resp = cors_api.options(
        path,
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert resp.status_code in (200, 204), describe(resp)
    assert resp.headers.get_list("Access-Control-Allow-Origin") == [ALLOWED], describe(resp)


def test_preflight_from_another_origin_is_not_allowed(cors_api: httpx.Client) -> None:
    resp = cors_api.options(
        "/api/v2/users", headers={"Origin": OTHER, "Access-Control-Request-Method": "POST"}
    )
    assert "Access-Control-Allow-Origin" not in resp.headers, describe(resp)


def test_options_that_is_not_a_preflight_is_405(cors_api: httpx.Client) -> None:
    resp = cors_api.options("/api/v2/users", headers={"Origin": ALLOWED})
    assert_problem(resp, 405, "/problems/method-not-allowed")
    assert_allow(resp, "GET, POST")


@pytest.mark.parametrize(("path", "status"), [("/health", 200), ("/api/v2/users/me", 401)])
def test_simple_request_from_an_allowed_origin(
    cors_api: httpx.Client, path: str, status: int
) -> None:
    resp = cors_api.get(path, headers={"Origin": ALLOWED})
    assert resp.status_code == status, describe(resp)
    assert resp.headers.get_list("Access-Control-Allow-Origin") == [ALLOWED], describe(resp)
    assert "origin" in vary(resp), describe(resp)


@pytest.mark.parametrize(("path", "status"), [("/health", 200), ("/api/v2/users/me", 401)])
def test_simple_request_from_another_origin_gets_no_grant(
    cors_api: httpx.Client, path: str, status: int
) -> None:
    resp = cors_api.get(path, headers={"Origin": OTHER})
    assert resp.status_code == status, describe(resp)
    assert "Access-Control-Allow-Origin" not in resp.headers, describe(resp)


def test_without_cors_origins_there_is_no_grant_and_options_is_405(api: httpx.Client) -> None:
    resp = api.options(
        "/api/v2/users", headers={"Origin": ALLOWED, "Access-Control-Request-Method": "POST"}
    )
    assert_problem(resp, 405, "/problems/method-not-allowed")
    assert "Access-Control-Allow-Origin" not in resp.headers, describe(resp)
    get = api.get("/health", headers={"Origin": ALLOWED})
    assert get.status_code == 200, describe(get)
    assert "Access-Control-Allow-Origin" not in get.headers, describe(get)

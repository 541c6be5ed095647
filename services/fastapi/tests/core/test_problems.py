import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.core.errors import (
    DomainError,
    HeaderFieldsTooLarge,
    HttpError,
    MethodNotAllowed,
    PayloadTooLarge,
    UnsupportedMediaType,
)


def test_unknown_route_is_problem_404(client: TestClient) -> None:
    response = client.get("/api/v2/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body == {
        "type": "/problems/not-found",
        "title": "Not found",
        "status": 404,
        "detail": "Resource not found",
        "instance": "/api/v2/nothing-here",
        "request_id": response.headers["X-Request-ID"],
    }


def test_trailing_slash_is_a_different_path(client: TestClient) -> None:
    assert client.get("/health/").status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/api/v1/users", "GET, POST"),
        ("PATCH", "/api/v2/users/me", "GET"),
        ("PUT", "/api/v1/users/abc", "DELETE, GET, PATCH"),
        ("HEAD", "/health", "GET"),
        ("OPTIONS", "/api/v2/users", "GET, POST"),
        ("GET", "/api/v2/auth/token", "POST"),
        ("POST", "/openapi.json", "GET"),
        ("POST", "/docs", "GET"),
    ],
)
def test_wrong_method_is_405_with_sorted_allow(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["Allow"] == allow
    if method != "HEAD":
        assert response.json()["type"] == "/problems/method-not-allowed"


def test_token_endpoint_errors_are_not_cached(client: TestClient) -> None:
    response = client.get("/api/v1/auth/token")
    assert response.headers["Cache-Control"] == "no-store"


def test_unexpected_errors_leak_nothing(app: FastAPI) -> None:
    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom", headers={"X-Request-ID": "trace-me"})
    assert response.status_code == 500
    assert "secret" not in response.text
    assert response.json()["request_id"] == "trace-me"
    assert response.headers["X-Request-ID"] == "trace-me"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_exhausted_connection_pool_is_503(app: FastAPI) -> None:
    from sqlalchemy.exc import TimeoutError as PoolTimeoutError

    @app.get("/busy")
    async def busy() -> None:
        raise PoolTimeoutError("QueuePool limit reached")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/busy")
    assert response.status_code == 503
    assert response.json()["type"] == "/problems/service-unavailable"


def test_transport_errors_are_their_own_family() -> None:
    for cls in (MethodNotAllowed, PayloadTooLarge, UnsupportedMediaType, HeaderFieldsTooLarge):
        assert issubclass(cls, HttpError)
        assert not issubclass(cls, DomainError)
    assert MethodNotAllowed("GET, POST").headers() == {"Allow": "GET, POST"}
    assert MethodNotAllowed("GET").headers() is not MethodNotAllowed("GET").headers()


def test_instance_is_the_decoded_path_even_with_a_question_mark(client: TestClient) -> None:
    response = client.get("/api/v2/users/me%3Fx=1")
    assert response.status_code == 401
    assert response.json()["instance"] == "/api/v2/users/me?x=1"

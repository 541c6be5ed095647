"""problem+json for every failure; an unexpected error never shows its text to the client."""

from __future__ import annotations

import logging

import pytest
from app.core.errors import Conflict
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError

SECRET_TEXT = "password=hunter2 at db.internal:5432"


@pytest.fixture
def failing_app(app: Flask) -> Flask:
    """The app with three extra routes that fail in different ways."""

    def boom() -> str:
        raise RuntimeError(SECRET_TEXT)

    def database_down() -> str:
        raise OperationalError("SELECT 1", {}, Exception(SECRET_TEXT))

    def conflict() -> str:
        raise Conflict()

    app.add_url_rule("/test/boom", view_func=boom)
    app.add_url_rule("/test/database-down", view_func=database_down)
    app.add_url_rule("/test/conflict", view_func=conflict)
    return app


def test_an_unexpected_error_is_a_bare_500_and_the_traceback_goes_to_the_log(
    failing_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    client = failing_app.test_client()
    with caplog.at_level(logging.ERROR, logger="app.core.problems"):
        resp = client.get("/test/boom", headers={"X-Request-ID": "req-500"})
    assert resp.status_code == 500
    assert resp.content_type == "application/problem+json"
    assert resp.get_json() == {
        "type": "/problems/internal-error",
        "title": "Internal server error",
        "status": 500,
        "detail": "An unexpected error occurred",
        "instance": "/test/boom",
        "request_id": "req-500",
    }
    assert b"hunter2" not in resp.data
    assert any(r.exc_info and SECRET_TEXT in str(r.exc_info[1]) for r in caplog.records)


def test_a_database_outage_is_503_without_the_drivers_message(failing_app: Flask) -> None:
    resp = failing_app.test_client().get("/test/database-down")
    assert resp.status_code == 503
    assert resp.get_json()["detail"] == "A dependency is unavailable"
    assert b"hunter2" not in resp.data
    assert b"SELECT" not in resp.data


def test_a_domain_error_keeps_its_own_status_and_detail(failing_app: Flask) -> None:
    resp = failing_app.test_client().get("/test/conflict")
    assert resp.status_code == 409
    assert resp.get_json()["detail"] == "Email already registered"


def test_405_lists_the_routes_methods_without_head_and_options(client: FlaskClient) -> None:
    resp = client.put("/api/v2/users")
    assert resp.status_code == 405
    assert resp.headers["Allow"] == "GET, POST"
    assert resp.content_type == "application/problem+json"


def test_headers_are_a_method_so_no_instance_shares_a_dict() -> None:
    from app.core.errors import NotFound, RateLimited, Unauthorized

    assert Unauthorized().headers() == {"WWW-Authenticate": "Bearer"}
    assert RateLimited(7).headers() == {"Retry-After": "7"}
    first, second = NotFound(), NotFound()
    first.headers()["X"] = "y"
    assert second.headers() == {}

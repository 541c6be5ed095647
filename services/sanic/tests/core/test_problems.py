"""The problem+json error handler: an unexpected error never shows its text to the client."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from app.core.errors import Conflict
from sanic import Request, Sanic
from sanic.response import HTTPResponse
from sqlalchemy.exc import OperationalError

SECRET_TEXT = "password=hunter2 at db.internal:5432"


@pytest.fixture
def failing_app(app: Sanic[Any, Any]) -> Sanic[Any, Any]:
    """The app with three extra routes that fail in different ways."""

    async def boom(request: Request) -> HTTPResponse:
        raise RuntimeError(SECRET_TEXT)

    async def database_down(request: Request) -> HTTPResponse:
        raise OperationalError("SELECT 1", {}, Exception(SECRET_TEXT))

    async def conflict(request: Request) -> HTTPResponse:
        raise Conflict()

    app.add_route(boom, "/test/boom")
    app.add_route(database_down, "/test/database-down")
    app.add_route(conflict, "/test/conflict")
    return app


async def test_an_unexpected_error_is_a_bare_500_and_the_traceback_goes_to_the_log(
    failing_app: Sanic[Any, Any], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        _, resp = await failing_app.asgi_client.get(
            "/test/boom", headers={"x-request-id": "req-500"}
        )
    assert resp.status == 500
    assert resp.headers["content-type"] == "application/problem+json"
    assert resp.json == {
        "type": "/problems/internal-error",
        "title": "Internal server error",
        "status": 500,
        "detail": "An unexpected error occurred",
        "instance": "/test/boom",
        "request_id": "req-500",
    }
    assert "hunter2" not in resp.text
    assert any(r.exc_info and SECRET_TEXT in str(r.exc_info[1]) for r in caplog.records)


async def test_a_database_outage_is_503_without_the_drivers_message(
    failing_app: Sanic[Any, Any],
) -> None:
    _, resp = await failing_app.asgi_client.get("/test/database-down")
    assert resp.status == 503
    assert resp.json["detail"] == "A dependency is unavailable"
    assert "hunter2" not in resp.text
    assert "SELECT" not in resp.text


async def test_a_domain_error_keeps_its_own_status_and_detail(
    failing_app: Sanic[Any, Any],
) -> None:
    _, resp = await failing_app.asgi_client.get("/test/conflict")
    assert resp.status == 409
    assert resp.headers["content-type"] == "application/problem+json"
    assert resp.json["type"] == "/problems/conflict"

"""GET /health (liveness) and GET /ready (database and broker)."""

from __future__ import annotations

from typing import Any

import pytest
from app.core.config import Settings
from app.main import create_app
from sanic import Sanic


async def test_health_answers_ok(app: Sanic[Any, Any]) -> None:
    _, resp = await app.asgi_client.get("/health")
    assert resp.status == 200
    assert resp.json == {"status": "ok"}


async def test_ready_checks_the_database_and_the_broker(app: Sanic[Any, Any]) -> None:
    _, resp = await app.asgi_client.get("/ready")
    assert resp.status == 200
    assert resp.json == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def unreachable_database(settings: Settings) -> Sanic[Any, Any]:
    # Nothing listens on port 1: the connection is refused at once. No admin to bootstrap.
    Sanic.test_mode = True
    return create_app(
        settings=settings.model_copy(
            update={"database_url": "postgresql://users@127.0.0.1:1/users", "admin_email": None}
        )
    )


async def test_ready_is_503_when_the_database_is_unreachable(settings: Settings) -> None:
    _, resp = await unreachable_database(settings).asgi_client.get("/ready")
    assert resp.status == 503
    assert resp.headers["content-type"] == "application/problem+json"
    assert resp.json["checks"] == {"database": "error", "broker": "ok"}
    assert resp.json["status"] == 503
    assert "127.0.0.1" not in resp.text


async def test_health_does_not_touch_the_database(settings: Settings) -> None:
    _, resp = await unreachable_database(settings).asgi_client.get("/health")
    assert resp.status == 200


@pytest.mark.parametrize("path", ["/health", "/ready"])
async def test_probes_need_no_token(app: Sanic[Any, Any], path: str) -> None:
    _, resp = await app.asgi_client.get(path, headers={"authorization": "Bearer junk"})
    assert resp.status == 200

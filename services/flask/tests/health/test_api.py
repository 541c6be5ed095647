"""GET /health (liveness) and GET /ready (database and broker)."""

from __future__ import annotations

import pytest
from app import create_app
from app.core.config import Settings
from flask import Flask
from flask.testing import FlaskClient


def test_health_answers_ok(client: FlaskClient) -> None:
    resp = client.get("/health")
    assert resp.status_code == 200
    assert resp.get_json() == {"status": "ok"}


def test_ready_checks_the_database_and_the_broker(client: FlaskClient) -> None:
    resp = client.get("/ready")
    assert resp.status_code == 200
    assert resp.get_json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def unreachable_database(settings: Settings) -> Flask:
    # Nothing listens on port 1: the connection is refused at once.
    settings.database_url = "postgresql://users@127.0.0.1:1/users"
    return create_app(settings, TESTING=True)


def test_ready_is_503_when_the_database_is_unreachable(settings: Settings) -> None:
    resp = unreachable_database(settings).test_client().get("/ready")
    assert resp.status_code == 503
    assert resp.content_type == "application/problem+json"
    body = resp.get_json()
    assert body["checks"] == {"database": "error", "broker": "ok"}
    assert body["status"] == 503
    assert "127.0.0.1" not in resp.get_data(as_text=True)


def test_health_does_not_touch_the_database(settings: Settings) -> None:
    assert unreachable_database(settings).test_client().get("/health").status_code == 200


@pytest.mark.parametrize("path", ["/health", "/ready"])
def test_probes_need_no_token(client: FlaskClient, path: str) -> None:
    assert client.get(path, headers={"Authorization": "Bearer junk"}).status_code == 200

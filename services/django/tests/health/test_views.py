"""GET /health (liveness, touches nothing) and GET /ready (database and broker)."""

from __future__ import annotations

import pytest
from django.test import Client
from usersapi.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_health_answers_ok(client: Client) -> None:
    resp = client.get("/health")
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok"}


def test_ready_checks_the_database_and_the_broker(client: Client) -> None:
    resp = client.get("/ready")
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


@pytest.mark.usefixtures("unreachable_database")
def test_ready_is_503_when_the_database_is_unreachable(client: Client) -> None:
    resp = client.get("/ready")
    assert resp.status_code == 503
    assert resp["Content-Type"] == "application/problem+json"
    body = resp.json()
    assert body["checks"] == {"database": "error", "broker": "ok"}
    assert (body["status"], body["type"]) == (503, "/problems/service-unavailable")
    assert "127.0.0.1" not in resp.content.decode()


def test_ready_is_503_when_the_broker_is_unreachable(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")  # refused
    resp = client.get("/ready")
    assert resp.status_code == 503
    assert resp.json()["checks"] == {"database": "ok", "broker": "error"}


@pytest.mark.usefixtures("unreachable_database")
def test_health_does_not_touch_the_database(client: Client) -> None:
    assert client.get("/health").status_code == 200


@pytest.mark.parametrize("path", ["/health", "/ready"])
def test_probes_need_no_token(client: Client, path: str) -> None:
    assert client.get(path, headers={"Authorization": "Bearer junk"}).status_code == 200

import sqlite3
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from app.core.db import create_engine, session_factory
from app.outbox import service as outbox_service
from tests.factories import PublishedTasks, user_body


def outbox_rows(database_url: str) -> list[tuple[int, str, str | None, str | None]]:
    path = database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT id, kind, request_id, published_at FROM outbox ORDER BY id"
        ).fetchall()


def test_create_writes_and_publishes_an_outbox_row(
    client: TestClient, database_url: str, published: PublishedTasks
) -> None:
    response = client.post("/api/v2/users", json=user_body(2), headers={"X-Request-ID": "req-1"})
    assert response.status_code == 201
    [(row_id, kind, request_id, published_at)] = outbox_rows(database_url)
    assert (kind, request_id) == ("welcome_email", "req-1")
    assert published_at is not None
    assert published.calls == [("users.send_welcome_email", row_id, "req-1")]


def test_broker_down_does_not_fail_the_create(
    client: TestClient, database_url: str, published: PublishedTasks
) -> None:
    published.fail = True
    assert client.post("/api/v2/users", json=user_body(2)).status_code == 201
    [(_, _, _, published_at)] = outbox_rows(database_url)
    assert published_at is None


@pytest.mark.anyio
async def test_relay_publishes_what_the_request_could_not(
    client: TestClient,
    database_url: str,
    published: PublishedTasks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    published.fail = True
    client.post("/api/v2/users", json=user_body(2))
    published.fail = False
    monkeypatch.setattr(outbox_service, "RELAY_GRACE", timedelta(0))
    engine = create_engine(database_url, pooled=False)
    try:
        assert await outbox_service.outbox_relay(sessions=session_factory(engine)) == 1
        assert await outbox_service.outbox_relay(sessions=session_factory(engine)) == 0
    finally:
        await engine.dispose()
    assert len(published.calls) == 1
    assert outbox_rows(database_url)[0][3] is not None

import logging
import sqlite3
import time
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from kombu.exceptions import OperationalError

from app.core.db import create_engine, create_sessionmaker
from app.outbox import service as outbox_service
from app.outbox.service import publish_task
from app.worker.celery_app import celery_app
from tests.factories import PublishedTasks, user_body

HOUR = timedelta(hours=1)


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
    sessions = create_sessionmaker(engine)
    try:
        assert await outbox_service.outbox_relay(sessions=sessions, redeliver_after=HOUR) == 1
        assert await outbox_service.outbox_relay(sessions=sessions, redeliver_after=HOUR) == 0
    finally:
        await engine.dispose()
    assert len(published.calls) == 1
    assert outbox_rows(database_url)[0][3] is not None


def age_row(database_url: str, row_id: int, *, published_ago: timedelta, delivered: bool) -> None:
    """Pretend the row was handed to the broker `published_ago` (stored as naive UTC)."""
    published = (datetime.now(UTC) - published_ago).replace(tzinfo=None).isoformat(" ")
    path = database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE outbox SET published_at = ?, delivered_at = ? WHERE id = ?",
            (published, published if delivered else None, row_id),
        )


async def relay(database_url: str, redeliver_after: timedelta) -> int:
    engine = create_engine(database_url, pooled=False)
    try:
        return await outbox_service.outbox_relay(
            sessions=create_sessionmaker(engine), redeliver_after=redeliver_after
        )
    finally:
        await engine.dispose()


@pytest.mark.anyio
async def test_relay_publishes_again_a_published_row_that_was_never_delivered(
    client: TestClient,
    database_url: str,
    published: PublishedTasks,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client.post("/api/v2/users", json=user_body(2), headers={"X-Request-ID": "req-7"})
    [(row_id, *_)] = outbox_rows(database_url)
    age_row(database_url, row_id, published_ago=timedelta(minutes=20), delivered=False)
    started = datetime.now(UTC).replace(tzinfo=None).isoformat(" ")

    with caplog.at_level(logging.WARNING, logger=outbox_service.__name__):
        assert await relay(database_url, timedelta(minutes=15)) == 1
    # Published again once, and the clock restarted: the next run leaves it alone.
    assert await relay(database_url, timedelta(minutes=15)) == 0
    assert published.calls == [("users.send_welcome_email", row_id, "req-7")] * 2
    published_at = outbox_rows(database_url)[0][3]
    assert published_at is not None
    assert published_at >= started
    [record] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert f"outbox message {row_id} " in record.getMessage()


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("published_ago", "delivered"),
    [(timedelta(minutes=10), False), (timedelta(hours=2), True)],
    ids=["published-recently", "delivered"],
)
async def test_relay_leaves_recent_and_delivered_rows_alone(
    client: TestClient,
    database_url: str,
    published: PublishedTasks,
    published_ago: timedelta,
    delivered: bool,
) -> None:
    client.post("/api/v2/users", json=user_body(2))
    [(row_id, *_)] = outbox_rows(database_url)
    age_row(database_url, row_id, published_ago=published_ago, delivered=delivered)
    assert await relay(database_url, timedelta(minutes=15)) == 0
    assert len(published.calls) == 1  # the request's own publish


def test_publish_task_sends_by_task_name() -> None:
    publish_task("users.send_welcome_email", 1, "req-1")
    with celery_app.connection_for_read() as connection:
        message = connection.SimpleQueue("celery").get(timeout=1)
    assert message.headers["task"] == "users.send_welcome_email"
    assert message.headers["request_id"] == "req-1"
    message.ack()


def test_publish_task_fails_fast_on_a_dead_broker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    started = time.monotonic()
    with pytest.raises(OperationalError):
        publish_task("users.send_welcome_email", 1, None)
    assert time.monotonic() - started < 5

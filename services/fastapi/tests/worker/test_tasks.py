import asyncio
import smtplib
import sqlite3
import time
from email.message import EmailMessage
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from app.core.config import get_settings
from app.core.db import create_engine, create_sessionmaker
from app.worker import tasks
from app.worker.celery_app import celery_app
from tests.factories import PublishedTasks, user_body


@pytest.fixture
def outbox_id(client: TestClient, published: PublishedTasks) -> int:
    body = user_body(2, name="Grace Hopper")
    client.post("/api/v2/users", json=body, headers={"X-Request-ID": "req-42"})
    return published.calls[0][1]


@pytest.mark.anyio
async def test_welcome_email_is_sent_once(
    outbox_id: int, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[EmailMessage] = []
    monkeypatch.setattr(tasks, "send_message", lambda message, **_: sent.append(message))
    engine = create_engine(database_url, pooled=False)
    try:
        assert await tasks.deliver_welcome_email(create_sessionmaker(engine), outbox_id) is True
        assert await tasks.deliver_welcome_email(create_sessionmaker(engine), outbox_id) is False
    finally:
        await engine.dispose()
    [message] = sent
    assert message["Subject"] == "Welcome, Grace Hopper!"
    assert message["From"] == "no-reply@users-api.local"
    assert message["X-Request-ID"] == "req-42"


@pytest.mark.anyio
async def test_smtp_failure_raises_for_retry_and_leaves_it_undelivered(
    outbox_id: int, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(tasks, "send_message", refuse)
    engine = create_engine(database_url, pooled=False)
    try:
        with pytest.raises(smtplib.SMTPException):
            await tasks.deliver_welcome_email(create_sessionmaker(engine), outbox_id)
        sent: list[EmailMessage] = []
        monkeypatch.setattr(tasks, "send_message", lambda message, **_: sent.append(message))
        assert await tasks.deliver_welcome_email(create_sessionmaker(engine), outbox_id) is True
    finally:
        await engine.dispose()


def test_task_is_configured_for_at_least_once_delivery() -> None:
    conf = celery_app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert smtplib.SMTPException in getattr(tasks.send_welcome_email, "autoretry_for", ())


@pytest.mark.anyio
async def test_two_concurrent_deliveries_send_one_email(
    outbox_id: int, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The relay may publish a job again while the first copy is still sending."""
    sent: list[EmailMessage] = []

    def slow_send(message: EmailMessage, **_: object) -> None:
        time.sleep(0.5)  # the other delivery arrives while this one holds the row
        sent.append(message)

    monkeypatch.setattr(tasks, "send_message", slow_send)
    first = create_engine(database_url, pooled=False)
    second = create_engine(database_url, pooled=False)
    try:
        results = await asyncio.gather(
            tasks.deliver_welcome_email(create_sessionmaker(first), outbox_id),
            tasks.deliver_welcome_email(create_sessionmaker(second), outbox_id),
        )
    finally:
        await first.dispose()
        await second.dispose()
    assert sorted(results) == [False, True]
    assert len(sent) == 1


def test_a_retry_restarts_the_redelivery_clock(
    outbox_id: int, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE outbox SET published_at = '2000-01-01 00:00:00.000000' WHERE id = ?",
            (outbox_id,),
        )
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        tasks._restart_redelivery_clock(
            sender=tasks.send_welcome_email, request=SimpleNamespace(args=[outbox_id])
        )
        tasks._restart_redelivery_clock(
            sender=tasks.relay_outbox, request=SimpleNamespace(args=[outbox_id + 1])
        )
    finally:
        get_settings.cache_clear()
    with sqlite3.connect(path) as connection:
        [(published_at,)] = connection.execute(
            "SELECT published_at FROM outbox WHERE id = ?", (outbox_id,)
        ).fetchall()
    assert published_at > "2001"

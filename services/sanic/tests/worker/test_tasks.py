"""The worker's outbox side: the relay (also for jobs the broker lost) and sending exactly once."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterator
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from app.core.config import Settings, get_settings
from app.core.db import utcnow
from app.outbox import service as outbox_service
from app.outbox.models import OutboxMessage
from app.outbox.repository import WELCOME_EMAIL, OutboxRepository
from app.worker import runtime, tasks
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.smtp_sink import SMTPSink


@pytest.fixture
def worker(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The worker's per-process loop and engine, over this test's database."""
    monkeypatch.setattr(runtime, "_loop", None)
    monkeypatch.setattr(runtime, "_sessionmaker", None)
    yield
    loop, maker = runtime._loop, runtime._sessionmaker
    if loop is not None and maker is not None:
        bind = maker.kw["bind"]
        loop.run_until_complete(bind.dispose())
        loop.close()


@pytest.fixture
def relayed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Outbox ids the relay handed to the broker, without a broker."""
    sent: list[int] = []

    def publish_task(_celery: object, kind: str, outbox_id: int, _request_id: str | None) -> None:
        assert kind == WELCOME_EMAIL
        sent.append(outbox_id)

    monkeypatch.setattr(outbox_service, "publish_task", publish_task)
    return sent


def add_message(*, published_ago: timedelta | None, delivered: bool = False) -> int:
    async def add(session: AsyncSession) -> int:
        message = await OutboxRepository(session).add(
            kind=WELCOME_EMAIL,
            payload={"email": "lost@example.com", "name": "Lost"},
            request_id="req-9",
        )
        if published_ago is not None:
            message.published_at = utcnow() - published_ago
            message.delivered_at = message.published_at if delivered else None
        return message.id

    return runtime.run_in_session(add)


def published_at(outbox_id: int) -> datetime | None:
    async def get(session: AsyncSession) -> datetime | None:
        message = await session.get(OutboxMessage, outbox_id)
        assert message is not None
        return message.published_at

    return runtime.run_in_session(get)


@pytest.mark.usefixtures("worker")
def test_relay_publishes_again_a_published_row_that_was_never_delivered(
    relayed: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    outbox_id = add_message(published_ago=timedelta(minutes=20))
    started = utcnow()
    with caplog.at_level(logging.WARNING, logger="app.outbox"):
        assert tasks.relay_outbox.run() == 1
    # Published again once, and its clock restarted: the next run leaves it alone.
    assert tasks.relay_outbox.run() == 0
    assert relayed == [outbox_id]
    after = published_at(outbox_id)
    assert after is not None
    assert after >= started
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert f"outbox {outbox_id} " in warning.getMessage()


@pytest.mark.usefixtures("worker")
@pytest.mark.parametrize(
    ("published_ago", "delivered"),
    [(timedelta(minutes=10), False), (timedelta(hours=2), True)],
    ids=["published-recently", "delivered"],
)
def test_relay_leaves_recent_and_delivered_rows_alone(
    relayed: list[int], published_ago: timedelta, delivered: bool
) -> None:
    add_message(published_ago=published_ago, delivered=delivered)
    assert tasks.relay_outbox.run() == 0
    assert relayed == []


@pytest.mark.usefixtures("worker")
def test_relay_still_publishes_what_the_request_could_not(relayed: list[int]) -> None:
    outbox_id = add_message(published_ago=None)

    async def age(session: AsyncSession) -> None:
        created = utcnow() - timedelta(minutes=1)
        await session.execute(
            update(OutboxMessage).where(OutboxMessage.id == outbox_id).values(created_at=created)
        )

    runtime.run_in_session(age)
    assert tasks.relay_outbox.run() == 1
    assert relayed == [outbox_id]
    assert published_at(outbox_id) is not None


@pytest.mark.usefixtures("worker")
def test_a_job_waiting_out_the_longest_retry_countdown_is_not_published_again(
    relayed: list[int],
) -> None:
    """With the default settings: a retry restarts the clock and waits at most
    retry_backoff_max, so the relay must still leave such a row alone (no second copy)."""
    backoff_max: int = tasks.send_welcome_email.retry_backoff_max  # type: ignore[attr-defined]
    add_message(published_ago=timedelta(seconds=backoff_max + 30))
    assert tasks.relay_outbox.run() == 0
    assert relayed == []


@pytest.mark.usefixtures("worker")
def test_a_retry_restarts_the_redelivery_clock() -> None:
    outbox_id = add_message(published_ago=timedelta(hours=1))
    tasks._restart_redelivery_clock(
        sender=tasks.send_welcome_email, request=SimpleNamespace(args=[outbox_id])
    )
    after = published_at(outbox_id)
    assert after is not None
    assert after > utcnow() - timedelta(minutes=1)


@pytest.mark.usefixtures("worker")
def test_welcome_email_is_sent_once(smtp_sink: SMTPSink) -> None:
    outbox_id = add_message(published_ago=timedelta(seconds=1))
    tasks.send_welcome_email.run(outbox_id)
    tasks.send_welcome_email.run(outbox_id)
    [mail] = smtp_sink.messages
    assert mail["Subject"] == "Welcome, Lost!"
    assert mail["To"] == "lost@example.com"
    assert mail["From"] == "no-reply@users-api.local"
    assert mail["X-Request-ID"] == "req-9"
    delivered = runtime.run_in_session(lambda session: session.get(OutboxMessage, outbox_id))
    assert delivered is not None
    assert delivered.delivered_at is not None


@pytest.mark.usefixtures("worker")
def test_an_smtp_refusal_raises_for_a_retry_and_leaves_the_row_undelivered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    outbox_id = add_message(published_ago=timedelta(seconds=1))
    with SMTPSink(refuse=True) as refusing:
        monkeypatch.setenv("SMTP_PORT", str(refusing.port))
        get_settings.cache_clear()
        with pytest.raises(smtplib.SMTPException):
            tasks.send_welcome_email.run(outbox_id)
    message = runtime.run_in_session(lambda session: session.get(OutboxMessage, outbox_id))
    assert message is not None
    assert message.delivered_at is None
    with SMTPSink() as accepting:
        monkeypatch.setenv("SMTP_PORT", str(accepting.port))
        get_settings.cache_clear()
        tasks.send_welcome_email.run(outbox_id)
    assert len(accepting.messages) == 1

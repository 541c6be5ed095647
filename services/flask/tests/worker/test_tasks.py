"""The welcome email task: sent once per outbox row, with the create's request id."""

from __future__ import annotations

import logging
import smtplib
import threading
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from app.core.config import Settings
from app.extensions import db
from app.outbox import service as outbox_service
from app.outbox.models import OutboxMessage
from app.users import service
from app.worker import tasks
from flask import Flask
from sqlalchemy import select, update

from tests.factories import create_user
from tests.smtp_sink import SMTPSink


def test_welcome_email_is_sent_once(app: Flask, smtp_sink: SMTPSink) -> None:
    outbox_id = create_user(app, "w@example.com", name="Wendy", request_id="req-42").outbox_id
    assert outbox_id is not None
    with app.app_context():
        tasks.send_welcome_email.run(outbox_id, request_id="req-42")
        tasks.send_welcome_email.run(outbox_id, request_id="req-42")
        with db.sessionmaker() as session:
            assert session.get_one(OutboxMessage, outbox_id).delivered_at is not None
    [mail] = smtp_sink.messages
    assert mail["Subject"] == "Welcome, Wendy!"
    assert mail["To"] == "w@example.com"
    assert mail["X-Request-ID"] == "req-42"
    assert mail["From"] == "no-reply@users-api.local"
    assert "Hello Wendy," in mail.get_content()


def test_an_smtp_refusal_raises_for_a_retry_and_leaves_the_row_undelivered(
    app: Flask, settings: Settings
) -> None:
    outbox_id = create_user(app, "later@example.com").outbox_id
    assert outbox_id is not None
    with SMTPSink(refuse=True) as refusing, app.app_context():
        settings.smtp_host, settings.smtp_port = refusing.host, refusing.port
        with pytest.raises(smtplib.SMTPException):
            tasks.send_welcome_email.run(outbox_id, request_id="req-1")
        with db.sessionmaker() as session:
            assert session.get_one(OutboxMessage, outbox_id).delivered_at is None
    with SMTPSink() as accepting, app.app_context():
        settings.smtp_host, settings.smtp_port = accepting.host, accepting.port
        tasks.send_welcome_email.run(outbox_id, request_id="req-1")
    assert len(accepting.messages) == 1


def test_relay_publishes_what_the_request_could_not(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outbox_service, "publish", lambda *_args: False)  # broker down at sign-up
    monkeypatch.setattr(outbox_service, "RELAY_GRACE", timedelta(0))
    with app.app_context():
        service.user_create(
            session=db.session,
            data=service.NewUser(email="r@example.com", full_name="Rita", password="pw-12345678"),
            request_id="req-7",
        )
        assert db.session.scalars(select(OutboxMessage)).one().published_at is None
        monkeypatch.setattr(outbox_service, "publish", lambda *_args: True)  # broker back
        assert tasks.relay_outbox.run() == 1
        db.session.expire_all()
        assert db.session.scalars(select(OutboxMessage)).one().published_at is not None


def create_published(app: Flask, email: str) -> int:
    """A user whose welcome job the sign-up handed to the broker (publish runs at once here)."""
    outbox_id = create_user(app, email, name="Lost", request_id="req-9").outbox_id
    assert outbox_id is not None
    return outbox_id


def recorded_publishes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Outbox ids handed to the broker, without a broker."""
    published: list[int] = []

    def publish(outbox_id: int, _kind: str, _request_id: str) -> bool:
        published.append(outbox_id)
        return True

    monkeypatch.setattr(outbox_service, "publish", publish)
    return published


def age(outbox_id: int, *, published_ago: timedelta, delivered: bool = False) -> None:
    published = datetime.now(UTC) - published_ago
    with db.sessionmaker() as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == outbox_id)
            .values(published_at=published, delivered_at=published if delivered else None)
        )
        session.commit()


def published_at(outbox_id: int) -> datetime:
    with db.sessionmaker() as session:
        value = session.get_one(OutboxMessage, outbox_id).published_at
    assert value is not None
    return value.replace(tzinfo=UTC)  # SQLite hands back naive UTC


def test_relay_publishes_again_a_published_row_that_was_never_delivered(
    app: Flask, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    published = recorded_publishes(monkeypatch)
    outbox_id = create_published(app, "lost@example.com")
    with app.app_context():
        age(outbox_id, published_ago=timedelta(minutes=20))
        started = datetime.now(UTC)
        with caplog.at_level(logging.WARNING, logger="app.worker.tasks"):
            assert tasks.relay_outbox.run() == 1
        # Published again once, and its clock restarted: the next run leaves it alone.
        assert tasks.relay_outbox.run() == 0
        assert published == [outbox_id, outbox_id]
        assert published_at(outbox_id) >= started - timedelta(seconds=1)
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert f"outbox {outbox_id} " in warning.getMessage()


@pytest.mark.parametrize(
    ("published_ago", "delivered"),
    [(timedelta(minutes=10), False), (timedelta(hours=2), True)],
    ids=["published-recently", "delivered"],
)
def test_relay_leaves_recent_and_delivered_rows_alone(
    app: Flask, monkeypatch: pytest.MonkeyPatch, published_ago: timedelta, delivered: bool
) -> None:
    published = recorded_publishes(monkeypatch)
    outbox_id = create_published(app, "fine@example.com")
    with app.app_context():
        age(outbox_id, published_ago=published_ago, delivered=delivered)
        assert tasks.relay_outbox.run() == 0
    assert published == [outbox_id]  # the sign-up's own publish


def test_a_job_waiting_out_the_longest_retry_countdown_is_not_published_again(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the default settings: a retry restarts the clock and waits at most
    retry_backoff_max, so the relay must still leave such a row alone (no second copy)."""
    published = recorded_publishes(monkeypatch)
    outbox_id = create_published(app, "retrying@example.com")
    backoff_max: int = tasks.send_welcome_email.retry_backoff_max  # type: ignore[attr-defined]
    with app.app_context():
        age(outbox_id, published_ago=timedelta(seconds=backoff_max + 30))
        assert tasks.relay_outbox.run() == 0
    assert published == [outbox_id]


def test_a_retry_restarts_the_redelivery_clock(app: Flask) -> None:
    outbox_id = create_published(app, "retried@example.com")
    with app.app_context():
        age(outbox_id, published_ago=timedelta(hours=1))
        tasks._restart_redelivery_clock(
            sender=tasks.send_welcome_email, request=SimpleNamespace(args=[outbox_id])
        )
        assert published_at(outbox_id) > datetime.now(UTC) - timedelta(minutes=1)


def test_two_concurrent_deliveries_send_one_email(app: Flask, settings: Settings) -> None:
    """The relay may publish a job again while the first copy is still sending (SQLite here)."""
    outbox_id = create_published(app, "twice@example.com")
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            with app.app_context():
                tasks.send_welcome_email.run(outbox_id, request_id="req-9")
        except BaseException as exc:
            errors.append(exc)

    # The sink takes 0.5 s per message: the other delivery arrives while this one holds the row.
    with SMTPSink(delay=0.5) as slow:
        settings.smtp_host, settings.smtp_port = slow.host, slow.port
        threads = [threading.Thread(target=deliver) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert errors == []
    assert len(slow.messages) == 1

"""The welcome email task: sent once per outbox row, with the create's request id."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from types import SimpleNamespace
from typing import Any

import pytest
from app.core.settings import Settings
from app.extensions import db
from app.users import service
from app.worker import tasks
from app.worker.outbox import OutboxMessage
from flask import Flask
from sqlalchemy import select, update


class FakeSMTP:
    sent: list[EmailMessage] = []

    def __init__(self, *_args: Any, **_kwargs: Any) -> None:
        pass

    def __enter__(self) -> FakeSMTP:
        return self

    def __exit__(self, *_exc: object) -> None:
        return None

    def send_message(self, message: EmailMessage) -> None:
        self.sent.append(message)


def test_welcome_email_is_sent_once(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    FakeSMTP.sent = []
    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    with app.app_context():
        created = service.user_create(
            session=db.session(),
            data=service.NewUser(email="w@example.com", name="Wendy", password="pw-12345678"),
            request_id="req-42",
        )
        assert created.outbox_id is not None
        tasks.send_welcome_email.run(created.outbox_id, request_id="req-42")
        tasks.send_welcome_email.run(created.outbox_id, request_id="req-42")
        message = db.session().scalars(select(OutboxMessage)).one()
        db.session().refresh(message)
        assert message.delivered_at is not None
    assert len(FakeSMTP.sent) == 1
    mail = FakeSMTP.sent[0]
    assert mail["Subject"] == "Welcome, Wendy!"
    assert mail["To"] == "w@example.com"
    assert mail["X-Request-ID"] == "req-42"
    assert mail["From"] == "no-reply@users-api.local"


def test_relay_publishes_what_the_request_could_not(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tasks, "publish", lambda *_args: False)  # broker down at sign-up
    monkeypatch.setattr(tasks, "RELAY_GRACE", timedelta(0))
    with app.app_context():
        service.user_create(
            session=db.session(),
            data=service.NewUser(email="r@example.com", name="Rita", password="pw-12345678"),
            request_id="req-7",
        )
        assert db.session().scalars(select(OutboxMessage)).one().published_at is None
        monkeypatch.setattr(tasks, "publish", lambda *_args: True)  # broker back
        assert tasks.relay_outbox.run() == 1
        db.session().expire_all()
        assert db.session().scalars(select(OutboxMessage)).one().published_at is not None


def create_published(app: Flask, email: str) -> int:
    """A user whose welcome job the sign-up handed to the broker (publish runs at once here)."""
    with app.app_context():
        created = service.user_create(
            session=db.session(),
            data=service.NewUser(email=email, name="Lost", password="pw-12345678"),
            request_id="req-9",
        )
        assert created.outbox_id is not None
        return created.outbox_id


def recorded_publishes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Outbox ids handed to the broker, without a broker."""
    published: list[int] = []

    def publish(outbox_id: int, _kind: str, _request_id: str) -> bool:
        published.append(outbox_id)
        return True

    monkeypatch.setattr(tasks, "publish", publish)
    return published


def age(outbox_id: int, *, published_ago: timedelta, delivered: bool = False) -> None:
    published = datetime.now(UTC) - published_ago
    with db.standalone_session() as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == outbox_id)
            .values(published_at=published, delivered_at=published if delivered else None)
        )
        session.commit()


def published_at(outbox_id: int) -> datetime:
    with db.standalone_session() as session:
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


def test_default_redelivery_age_outlasts_any_retry_countdown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Otherwise the relay would publish a second copy of a job whose retry is still queued.
    monkeypatch.delenv("OUTBOX_REDELIVER_AFTER_SECONDS", raising=False)
    default = Settings(_env_file=None).outbox_redeliver_after_seconds
    backoff_max: int = tasks.send_welcome_email.retry_backoff_max  # type: ignore[attr-defined]
    assert default > backoff_max


def test_a_retry_restarts_the_redelivery_clock(app: Flask) -> None:
    outbox_id = create_published(app, "retried@example.com")
    with app.app_context():
        age(outbox_id, published_ago=timedelta(hours=1))
        tasks._restart_redelivery_clock(
            sender=tasks.send_welcome_email, request=SimpleNamespace(args=[outbox_id])
        )
        assert published_at(outbox_id) > datetime.now(UTC) - timedelta(minutes=1)


def test_two_concurrent_deliveries_send_one_email(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The relay may publish a job again while the first copy is still sending (SQLite here)."""

    class SlowSMTP(FakeSMTP):
        def send_message(self, message: EmailMessage) -> None:
            time.sleep(0.5)  # the other delivery arrives while this one holds the row
            super().send_message(message)

    FakeSMTP.sent = []
    monkeypatch.setattr("smtplib.SMTP", SlowSMTP)
    outbox_id = create_published(app, "twice@example.com")
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            with app.app_context():
                tasks.send_welcome_email.run(outbox_id, request_id="req-9")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(FakeSMTP.sent) == 1

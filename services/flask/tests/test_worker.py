"""The welcome email task: sent once per outbox row, with the create's request id."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from app.extensions import db
from app.users import service
from app.worker import tasks
from app.worker.outbox import OutboxMessage
from flask import Flask
from sqlalchemy import select


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

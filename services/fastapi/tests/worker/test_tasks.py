import smtplib
from email.message import EmailMessage

import pytest
from fastapi.testclient import TestClient

from app.core.db import create_engine, session_factory
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
        assert await tasks.deliver_welcome_email(session_factory(engine), outbox_id) is True
        assert await tasks.deliver_welcome_email(session_factory(engine), outbox_id) is False
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
            await tasks.deliver_welcome_email(session_factory(engine), outbox_id)
        sent: list[EmailMessage] = []
        monkeypatch.setattr(tasks, "send_message", lambda message, **_: sent.append(message))
        assert await tasks.deliver_welcome_email(session_factory(engine), outbox_id) is True
    finally:
        await engine.dispose()


def test_task_is_configured_for_at_least_once_delivery() -> None:
    conf = celery_app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert smtplib.SMTPException in getattr(tasks.send_welcome_email, "autoretry_for", ())

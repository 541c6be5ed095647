import time

import pytest
from kombu.exceptions import OperationalError

from app.worker.celery_app import celery_app
from app.worker.publisher import publish_task


def test_publishes_to_the_broker() -> None:
    publish_task("users.send_welcome_email", 1, "req-1")
    with celery_app.connection_for_read() as connection:
        message = connection.SimpleQueue("celery").get(timeout=1)
    assert message.headers["task"] == "users.send_welcome_email"
    assert message.headers["request_id"] == "req-1"
    message.ack()


def test_a_dead_broker_fails_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    started = time.monotonic()
    with pytest.raises(OperationalError):
        publish_task("users.send_welcome_email", 1, None)
    assert time.monotonic() - started < 5

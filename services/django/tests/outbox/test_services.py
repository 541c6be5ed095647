"""The outbox: written with the user, published after commit, relayed when the broker lost it."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from usersapi.celery import app as celery_app
from usersapi.outbox import services as outbox_services
from usersapi.outbox.models import OutboxMessage
from usersapi.outbox.services import outbox_relay
from usersapi.outbox.tasks import relay_outbox
from usersapi.users.tasks import send_welcome_email

from tests.factories import JSON, create_v1

pytestmark = pytest.mark.django_db(transaction=True)


def test_broker_down_still_creates_and_the_relay_publishes_later(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broker_down(entry: OutboxMessage) -> None:
        raise ConnectionError("broker unavailable")

    monkeypatch.setattr(outbox_services, "publish_task", broker_down)
    assert create_v1(client, "later@example.com").status_code == 201
    entry = OutboxMessage.objects.get()
    assert entry.published_at is None

    sent: list[int] = []
    monkeypatch.setattr(outbox_services, "publish_task", lambda e: sent.append(e.pk))
    assert outbox_relay() == 0  # too young: the request may still be publishing it
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(seconds=30))
    assert outbox_relay() == 1
    assert sent == [entry.pk]
    entry.refresh_from_db()
    assert entry.published_at is not None


def age(entry: OutboxMessage, *, published_ago: timedelta, delivered: bool = False) -> None:
    published = timezone.now() - published_ago
    OutboxMessage.objects.filter(pk=entry.pk).update(
        published_at=published, delivered_at=published if delivered else None
    )


def test_relay_publishes_again_a_published_row_that_was_never_delivered(
    client: Client, published: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    create_v1(client, "lost@example.com")
    entry = OutboxMessage.objects.get()
    age(entry, published_ago=timedelta(minutes=20))
    started = timezone.now()

    with caplog.at_level(logging.WARNING, logger="usersapi.outbox.services"):
        assert outbox_relay() == 1
    # Published again once, and its clock restarted: the next run leaves it alone.
    assert outbox_relay() == 0
    assert published == [entry.pk, entry.pk]
    entry.refresh_from_db()
    assert entry.published_at is not None
    assert entry.published_at >= started
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert f"outbox {entry.pk} " in warning.getMessage()


@pytest.mark.parametrize(
    ("published_ago", "delivered"),
    [(timedelta(minutes=10), False), (timedelta(hours=2), True)],
    ids=["published-recently", "delivered"],
)
def test_relay_leaves_recent_and_delivered_rows_alone(
    client: Client, published: list[int], published_ago: timedelta, delivered: bool
) -> None:
    create_v1(client, "fine@example.com")
    age(OutboxMessage.objects.get(), published_ago=published_ago, delivered=delivered)
    assert outbox_relay() == 0
    assert len(published) == 1  # the request's own publish


def test_a_job_waiting_out_the_longest_retry_countdown_is_not_published_again(
    client: Client, published: list[int]
) -> None:
    """With the default settings: a retry restarts the clock and waits at most
    retry_backoff_max, so the relay must still leave such a row alone (no second copy)."""
    create_v1(client, "retrying@example.com")
    entry = OutboxMessage.objects.get()
    backoff_max: int = send_welcome_email.retry_backoff_max  # type: ignore[attr-defined]
    age(entry, published_ago=timedelta(seconds=backoff_max + 30))
    assert outbox_relay() == 0
    assert published == [entry.pk]


def test_a_broker_failure_during_the_relay_stops_the_run_and_keeps_the_row(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broker_down(entry: OutboxMessage) -> None:
        raise ConnectionError("broker unavailable")

    monkeypatch.setattr(outbox_services, "publish_task", broker_down)
    for n in range(2):
        create_v1(client, f"down{n}@example.com")
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(seconds=30))
    assert outbox_relay() == 0
    assert not OutboxMessage.objects.filter(published_at__isnull=False).exists()


def test_tasks_have_their_names_and_the_outbox_publishes_by_name(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert send_welcome_email.name == "users.send_welcome_email"
    assert relay_outbox.name == "outbox.relay"
    sent: list[tuple[str, Any, Any]] = []
    monkeypatch.setattr(
        celery_app,
        "send_task",
        lambda name, args, headers, retry: sent.append((name, args, headers)),
    )
    body = {"email": "named@example.com", "full_name": "N", "password": "12345678"}
    resp = client.post("/api/v1/users", body, content_type=JSON, headers={"X-Request-ID": "rq-7"})
    assert resp.status_code == 201
    outbox_id = OutboxMessage.objects.get().pk
    assert sent == [("users.send_welcome_email", (outbox_id,), {"request_id": "rq-7"})]

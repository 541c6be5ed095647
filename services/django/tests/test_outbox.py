"""The welcome email job: never lost when the broker is down, never sent twice once delivered."""

from __future__ import annotations

import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection
from django.test import Client
from django.utils import timezone
from usersapi.core.config import AppSettings
from usersapi.core.models import Outbox
from usersapi.core.outbox import PUBLISHERS, outbox_relay
from usersapi.users.services import WELCOME_EMAIL
from usersapi.users.tasks import _restart_redelivery_clock, send_welcome_email

from tests.conftest import create_v1

pytestmark = pytest.mark.django_db(transaction=True)


def test_broker_down_still_creates_and_the_relay_publishes_later(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broker_down(entry: Outbox) -> None:
        raise ConnectionError("broker unavailable")

    monkeypatch.setitem(PUBLISHERS, WELCOME_EMAIL, broker_down)
    assert create_v1(client, "later@example.com").status_code == 201
    entry = Outbox.objects.get()
    assert entry.published_at is None

    sent: list[int] = []
    monkeypatch.setitem(PUBLISHERS, WELCOME_EMAIL, lambda e: sent.append(e.pk))
    assert outbox_relay() == 0  # too young: the request may still be publishing it
    Outbox.objects.update(created_at=timezone.now() - timedelta(seconds=30))
    assert outbox_relay() == 1
    assert sent == [entry.pk]
    entry.refresh_from_db()
    assert entry.published_at is not None


def test_email_is_sent_once(client: Client, published: list[int]) -> None:
    create_v1(client, "welcome@example.com")
    entry = Outbox.objects.get()
    send_welcome_email.apply(args=(entry.pk,))
    send_welcome_email.apply(args=(entry.pk,))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Welcome, Test User!"
    assert message.to == ["welcome@example.com"]
    assert message.extra_headers["X-Request-ID"] == entry.request_id
    entry.refresh_from_db()
    assert entry.delivered_at is not None


def age(entry: Outbox, *, published_ago: timedelta, delivered: bool = False) -> None:
    published = timezone.now() - published_ago
    Outbox.objects.filter(pk=entry.pk).update(
        published_at=published, delivered_at=published if delivered else None
    )


def test_relay_publishes_again_a_published_row_that_was_never_delivered(
    client: Client, published: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    create_v1(client, "lost@example.com")
    entry = Outbox.objects.get()
    age(entry, published_ago=timedelta(minutes=20))
    started = timezone.now()

    with caplog.at_level(logging.WARNING, logger="usersapi.core.outbox"):
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
    age(Outbox.objects.get(), published_ago=published_ago, delivered=delivered)
    assert outbox_relay() == 0
    assert len(published) == 1  # the request's own publish


def test_default_redelivery_age_outlasts_any_retry_countdown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Otherwise the relay would publish a second copy of a job whose retry is still queued.
    monkeypatch.delenv("OUTBOX_REDELIVER_AFTER_SECONDS", raising=False)
    default = AppSettings(_env_file=None).outbox_redeliver_after_seconds  # type: ignore[call-arg]
    backoff_max: int = send_welcome_email.retry_backoff_max  # type: ignore[attr-defined]
    assert default > backoff_max


def test_a_retry_restarts_the_redelivery_clock(client: Client, published: list[int]) -> None:
    create_v1(client, "retried@example.com")
    entry = Outbox.objects.get()
    age(entry, published_ago=timedelta(hours=1))
    _restart_redelivery_clock(sender=send_welcome_email, request=SimpleNamespace(args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.published_at is not None
    assert entry.published_at > timezone.now() - timedelta(minutes=1)


def test_the_send_runs_inside_the_transaction_that_locked_the_row(
    client: Client, published: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second copy of the job (the relay may publish one) waits for that transaction to end
    (FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE on SQLite), then sees delivered_at and skips."""
    create_v1(client, "locked@example.com")
    entry = Outbox.objects.get()
    during_send: list[bool] = []
    send = EmailMessage.send

    def checked_send(message: EmailMessage, fail_silently: bool = False) -> int:
        during_send.append(connection.in_atomic_block)
        return send(message, fail_silently)

    monkeypatch.setattr(EmailMessage, "send", checked_send)
    send_welcome_email.apply(args=(entry.pk,), throw=True)
    send_welcome_email.apply(args=(entry.pk,), throw=True)
    assert during_send == [True]
    assert len(mail.outbox) == 1

"""The welcome email job: never lost when the broker is down, never sent twice once delivered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from usersapi.core.models import Outbox
from usersapi.core.outbox import PUBLISHERS, outbox_relay
from usersapi.users.services import WELCOME_EMAIL
from usersapi.users.tasks import send_welcome_email

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

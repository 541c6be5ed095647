"""The welcome email task: sent once per outbox row through SMTP, retried when SMTP refuses."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper
from usersapi.core.context import request_id_var
from usersapi.outbox.models import OutboxMessage
from usersapi.users.tasks import _restart_redelivery_clock, send_welcome_email

from tests.conftest import point_mailer_at
from tests.factories import create_user
from tests.smtp_sink import SMTPSink

pytestmark = pytest.mark.django_db


def welcome_job(email: str, name: str = "Wendy", request_id: str = "req-42") -> OutboxMessage:
    """A user created by the service layer; its outbox row, not yet handed to any broker."""
    token = request_id_var.set(request_id)
    try:
        create_user(email, name=name)
    finally:
        request_id_var.reset(token)
    return OutboxMessage.objects.get(payload__email=email)


def test_the_welcome_email_goes_out_once_over_smtp(smtp_sink: SMTPSink) -> None:
    entry = welcome_job("w@example.com")
    send_welcome_email.run(entry.pk)
    send_welcome_email.run(entry.pk)  # a second copy of the job (relay, redelivery): skipped
    [message] = smtp_sink.messages
    assert message["Subject"] == "Welcome, Wendy!"
    assert message["To"] == "w@example.com"
    assert message["From"] == "no-reply@users-api.local"
    assert message["X-Request-ID"] == "req-42"
    assert "Hello Wendy," in message.get_content()
    entry.refresh_from_db()
    assert entry.delivered_at is not None


def test_an_smtp_refusal_raises_for_a_retry_and_a_retry_sends_it(
    settings: SettingsWrapper,
) -> None:
    entry = welcome_job("later@example.com")
    with SMTPSink(refuse=True) as refusing:
        point_mailer_at(settings, refusing)
        with pytest.raises(smtplib.SMTPException):
            send_welcome_email.run(entry.pk)
    entry.refresh_from_db()
    assert entry.delivered_at is None
    assert refusing.messages == []
    with SMTPSink() as accepting:
        point_mailer_at(settings, accepting)
        send_welcome_email.run(entry.pk)
    assert len(accepting.messages) == 1
    entry.refresh_from_db()
    assert entry.delivered_at is not None


def test_celery_retries_a_refused_send_and_the_retry_restarts_the_redelivery_clock(
    settings: SettingsWrapper,
) -> None:
    """apply() runs the task as a worker would, its retries at once (no countdown)."""
    entry = welcome_job("retry@example.com")
    assert entry.published_at is None
    with SMTPSink(refusals=2) as flaky:
        point_mailer_at(settings, flaky)
        result = send_welcome_email.apply(args=(entry.pk,))
    assert result.state == "SUCCESS"
    assert len(flaky.messages) == 1
    entry.refresh_from_db()
    assert entry.delivered_at is not None
    assert entry.published_at is not None  # each retry went back to the broker: clock restarted


def test_a_row_deleted_meanwhile_sends_nothing(smtp_sink: SMTPSink) -> None:
    entry = welcome_job("gone@example.com")
    OutboxMessage.objects.filter(pk=entry.pk).delete()
    send_welcome_email.run(entry.pk)
    assert smtp_sink.messages == []


def test_a_retry_restarts_the_redelivery_clock() -> None:
    entry = welcome_job("retried@example.com")
    long_ago = timezone.now() - timedelta(hours=1)
    OutboxMessage.objects.filter(pk=entry.pk).update(published_at=long_ago)
    _restart_redelivery_clock(sender=send_welcome_email, request=SimpleNamespace(args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.published_at is not None
    assert entry.published_at > timezone.now() - timedelta(minutes=1)


@pytest.mark.django_db(transaction=True)  # otherwise the test's own transaction is "the" one
def test_the_send_runs_inside_the_transaction_that_locked_the_row(
    monkeypatch: pytest.MonkeyPatch, published: list[int]
) -> None:
    """A second copy of the job (the relay may publish one) waits for that transaction to end
    (FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE on SQLite), then sees delivered_at and skips."""
    entry = welcome_job("locked@example.com")
    during_send: list[bool] = []
    send = EmailMessage.send

    def checked_send(message: EmailMessage, fail_silently: bool = False) -> int:
        during_send.append(connection.in_atomic_block)
        return send(message, fail_silently)

    monkeypatch.setattr(EmailMessage, "send", checked_send)
    send_welcome_email.run(entry.pk)
    send_welcome_email.run(entry.pk)
    assert during_send == [True]
    assert len(mail.outbox) == 1

"""The welcome email: sent by the worker from an outbox row, at most once per row once delivered."""

from __future__ import annotations

import logging
import smtplib

from celery import Task, shared_task
from django.conf import settings
from django.core.mail import EmailMessage

from usersapi.celery import REQUEST_ID_HEADER
from usersapi.core.context import request_id_var
from usersapi.core.models import Outbox
from usersapi.core.outbox import PUBLISHERS, outbox_mark_delivered
from usersapi.users.services import WELCOME_EMAIL

log = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    retry_kwargs={"max_retries": 12},
)
def send_welcome_email(self: Task, outbox_id: int) -> None:  # type: ignore[type-arg]
    entry = Outbox.objects.filter(pk=outbox_id).first()
    if entry is None:
        log.warning("outbox %s no longer exists; nothing to send", outbox_id)
        return
    request_id_var.set(entry.request_id)
    if entry.delivered_at is not None:
        log.info("welcome email for outbox %s already delivered; skipping", outbox_id)
        return
    name = entry.payload["name"]
    message = EmailMessage(
        subject=f"Welcome, {name}!",
        body=f"Hello {name},\n\nyour account is ready. Welcome aboard!\n",
        from_email=settings.MAIL_FROM,
        to=[entry.payload["email"]],
        headers={"X-Request-ID": entry.request_id},
    )
    message.send(fail_silently=False)
    outbox_mark_delivered(outbox_id=outbox_id)
    log.info("welcome email for outbox %s delivered", outbox_id)


def _publish(entry: Outbox) -> None:
    send_welcome_email.apply_async(
        args=(entry.pk,), headers={REQUEST_ID_HEADER: entry.request_id}, retry=False
    )


PUBLISHERS[WELCOME_EMAIL] = _publish

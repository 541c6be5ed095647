"""The welcome email: sent by the worker from an outbox row, at most once per row once delivered."""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from celery import Task, shared_task, signals
from django.conf import settings
from django.db import transaction

from usersapi.core.context import request_id_var
from usersapi.outbox.models import OutboxMessage
from usersapi.outbox.services import outbox_mark_delivered, outbox_mark_republished
from usersapi.users.mail import welcome_message

log = logging.getLogger(__name__)


@shared_task(
    name="users.send_welcome_email",
    bind=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    retry_kwargs={"max_retries": 12},
)
def send_welcome_email(self: Task, outbox_id: int) -> None:  # type: ignore[type-arg]
    # The row stays locked until commit, across the SMTP send: a second copy of the job (the
    # relay's, or the broker's redelivery) waits here, then sees delivered_at and skips. SQLite has
    # no row locks, but its transactions begin IMMEDIATE (core/database.py): the same effect.
    with transaction.atomic():
        entry = OutboxMessage.objects.select_for_update().filter(pk=outbox_id).first()
        if entry is None:
            log.warning("outbox %s no longer exists; nothing to send", outbox_id)
            return
        request_id_var.set(entry.request_id)
        if entry.delivered_at is not None:
            log.info("welcome email for outbox %s already delivered; skipping", outbox_id)
            return
        message = welcome_message(
            to=entry.payload["email"],
            name=entry.payload["name"],
            sender=settings.MAIL_FROM,
            request_id=entry.request_id,
        )
        message.send(fail_silently=False)
        outbox_mark_delivered(outbox_id=outbox_id)
    log.info("welcome email for outbox %s delivered", outbox_id)


@signals.task_retry.connect
def _restart_redelivery_clock(sender: Any = None, request: Any = None, **_: Any) -> None:
    """Celery has just published the retry: the job is in the broker again, so the relay must not
    publish a second copy while the retry waits out its countdown (at most 300 s)."""
    args = getattr(request, "args", None)
    if getattr(sender, "name", None) != send_welcome_email.name or not args:
        return
    try:
        outbox_mark_republished(outbox_id=int(args[0]))
    except Exception:
        # The relay may then publish it once more; the row lock still sends one email.
        log.warning("could not record the retry of outbox %s", args[0], exc_info=True)

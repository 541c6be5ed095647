"""Celery tasks: the welcome email (idempotent per outbox row) and the outbox relay.

A published job can still be lost by the broker (Redis without persistence drops its queues on a
restart), so the relay also publishes again a row still undelivered OUTBOX_REDELIVER_AFTER_SECONDS
after it was last handed to the broker. The email task holds the row lock across the SMTP send and
skips delivered rows, so a second copy never sends a second email.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from typing import Any

from celery import shared_task, signals
from flask import current_app

from app.extensions import db
from app.outbox.repository import OutboxRepository
from app.outbox.service import outbox_mark_delivered, outbox_mark_republished, outbox_relay
from app.worker.mail import send_message, welcome_message

log = logging.getLogger(__name__)


@shared_task(
    name="users.send_welcome_email",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=None,
)
def send_welcome_email(outbox_id: int, request_id: str) -> None:
    settings = current_app.config["SETTINGS"]
    with db.sessionmaker() as session:
        message = OutboxRepository(session).get_for_delivery(outbox_id)
        if message is None or message.delivered_at is not None:
            log.info("outbox %s already delivered or gone; skipping", outbox_id)
            return
        email = welcome_message(
            to=message.payload["email"],
            name=message.payload["name"],
            sender=settings.mail_from,
            request_id=message.request_id,
        )
        send_message(email, host=settings.smtp_host, port=settings.smtp_port)
        outbox_mark_delivered(session=session, message=message)
    log.info("welcome email sent for outbox %s", outbox_id)


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


@shared_task(name="outbox.relay")
def relay_outbox() -> int:
    settings = current_app.config["SETTINGS"]
    return outbox_relay(redeliver_after=timedelta(seconds=settings.outbox_redeliver_after_seconds))

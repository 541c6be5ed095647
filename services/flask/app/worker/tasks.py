"""Celery tasks: the welcome email (idempotent per outbox row) and the outbox relay.

A published job can still be lost by the broker (Redis without persistence drops its queues on a
restart), so the relay also publishes again a row still undelivered OUTBOX_REDELIVER_AFTER_SECONDS
after it was last handed to the broker. The email task holds the row lock across the SMTP send and
skips delivered rows, so a second copy never sends a second email.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

from celery import shared_task, signals
from flask import current_app

from app.core.context import request_id_var
from app.extensions import db
from app.outbox.repository import OutboxRepository
from app.outbox.service import outbox_mark_republished, outbox_publish

log = logging.getLogger(__name__)

RELAY_GRACE = timedelta(seconds=5)


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
        outbox = OutboxRepository(session)
        message = outbox.get_for_delivery(outbox_id)
        if message is None or message.delivered_at is not None:
            log.info("outbox %s already delivered or gone; skipping", outbox_id)
            return
        email = EmailMessage()
        email["From"] = settings.mail_from
        email["To"] = message.payload["email"]
        email["Subject"] = f"Welcome, {message.payload['name']}!"
        email["X-Request-ID"] = message.request_id
        email.set_content(
            f"Hello {message.payload['name']},\n\nyour account has been created. Welcome!\n"
        )
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            smtp.send_message(email)
        message.delivered_at = datetime.now(UTC)
        if message.published_at is None:
            message.published_at = message.delivered_at
        session.commit()
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
    """Publish rows whose immediate publish after commit did not reach the broker, then publish
    again rows still undelivered long after they were published: the broker lost them."""
    settings = current_app.config["SETTINGS"]
    lost_before = datetime.now(UTC) - timedelta(seconds=settings.outbox_redeliver_after_seconds)
    with db.sessionmaker() as session:
        outbox = OutboxRepository(session)
        pending = outbox.unpublished(older_than=RELAY_GRACE)
        lost = outbox.undelivered(published_before=lost_before)
    sent = 0
    for message in pending:
        token = request_id_var.set(message.request_id)
        try:
            sent += outbox_publish(
                outbox_id=message.id, kind=message.kind, request_id=message.request_id
            )
        finally:
            request_id_var.reset(token)
    for message in lost:
        token = request_id_var.set(message.request_id)
        try:
            if not outbox_publish(
                outbox_id=message.id, kind=message.kind, request_id=message.request_id, again=True
            ):
                break
            log.warning(
                "outbox %s published at %s is still undelivered (lost by the broker?); "
                "published it again",
                message.id,
                message.published_at,
            )
            sent += 1
        finally:
            request_id_var.reset(token)
    if sent:
        log.info("relayed %d outbox message(s)", sent)
    return sent

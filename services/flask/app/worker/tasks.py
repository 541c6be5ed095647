"""Celery tasks: the welcome email (idempotent per outbox row) and the outbox relay."""

from __future__ import annotations

import logging
import smtplib
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from celery import shared_task
from flask import current_app

from app.core.logging import request_id_var
from app.extensions import db
from app.worker.outbox import WELCOME_EMAIL, OutboxRepository

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
    with db.standalone_session() as session:
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


def publish(outbox_id: int, kind: str, request_id: str) -> bool:
    """Hand one outbox row to the broker; False (and logged) when the broker is unreachable."""
    if kind != WELCOME_EMAIL:
        log.error("unknown outbox kind %r for %s", kind, outbox_id)
        return False
    try:
        send_welcome_email.apply_async(
            args=(outbox_id,), kwargs={"request_id": request_id}, retry=False
        )
    except Exception:
        log.warning("broker unavailable; outbox %s left for the relay", outbox_id, exc_info=True)
        return False
    return True


def publish_and_mark(outbox_id: int, kind: str, request_id: str) -> bool:
    if not publish(outbox_id, kind, request_id):
        return False
    with db.standalone_session() as session:
        OutboxRepository(session).mark_published(outbox_id)
        session.commit()
    return True


@shared_task(name="outbox.relay")
def relay_outbox() -> int:
    """Publish rows whose immediate publish after commit did not reach the broker."""
    sent = 0
    with db.standalone_session() as session:
        pending = OutboxRepository(session).unpublished(older_than=RELAY_GRACE)
    for message in pending:
        token = request_id_var.set(message.request_id)
        try:
            sent += publish_and_mark(message.id, message.kind, message.request_id)
        finally:
            request_id_var.reset(token)
    if sent:
        log.info("relayed %d outbox message(s)", sent)
    return sent

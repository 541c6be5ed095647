"""Celery tasks: the welcome email (idempotent per outbox row) and the outbox relay."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

from celery import Task
from celery.signals import task_postrun, task_prerun
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.context import request_id_var
from app.core.settings import get_settings
from app.core.types import utcnow
from app.outbox.models import OutboxMessage
from app.outbox.publisher import send_welcome
from app.outbox.repository import OutboxRepository
from app.worker.celery_app import app
from app.worker.runtime import run_in_session

log = logging.getLogger("app.worker.tasks")
RELAY_AFTER = timedelta(seconds=10)
RELAY_BATCH = 100


def _task_request_id(task: Task[Any, Any]) -> str | None:
    headers = task.request.headers or {}
    value = headers.get("request_id") or getattr(task.request, "request_id", None)
    return str(value) if value else None


@task_prerun.connect
def _bind_request_id(task: Task[Any, Any], **_: Any) -> None:
    request_id_var.set(_task_request_id(task) or "-")


@task_postrun.connect
def _unbind_request_id(**_: Any) -> None:
    request_id_var.set("-")


def _welcome_message(message: OutboxMessage, mail_from: str) -> EmailMessage:
    email, name = message.payload["email"], message.payload["name"]
    mail = EmailMessage()
    mail["From"] = mail_from
    mail["To"] = email
    mail["Subject"] = f"Welcome, {name}!"
    if message.request_id:
        mail["X-Request-ID"] = message.request_id
    mail.set_content(f"Hello {name},\n\nyour account {email} is ready.\n")
    return mail


@app.task(
    name="app.worker.tasks.send_welcome_email",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=20,
)
def send_welcome_email(outbox_id: int) -> None:
    """Send once: the row stays locked while SMTP runs, so a duplicate job waits, then skips.

    An SMTP error rolls the transaction back (delivered_at stays NULL) and Celery retries with
    back-off; a worker that dies mid-send releases the lock and `acks_late` redelivers the job.
    """
    settings = get_settings()

    async def deliver(session: AsyncSession) -> None:
        message = await OutboxRepository(session).get_locked(outbox_id)
        if message is None:
            log.warning("outbox %s not found; nothing to send", outbox_id)
            return
        if message.delivered_at is not None:
            log.info("outbox %s already delivered; skipping", outbox_id)
            return
        mail = _welcome_message(message, settings.mail_from)
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            smtp.send_message(mail)
        message.delivered_at = utcnow()
        log.info("welcome email sent to %s (outbox %s)", mail["To"], outbox_id)

    run_in_session(deliver)


@app.task(name="app.worker.tasks.relay_outbox")
def relay_outbox() -> int:
    """Publish rows whose request could not reach the broker; runs every few seconds (beat)."""

    async def pending(session: AsyncSession) -> list[tuple[int, str | None]]:
        rows = await OutboxRepository(session).unpublished(
            older_than=RELAY_AFTER, limit=RELAY_BATCH
        )
        return [(row.id, row.request_id) for row in rows]

    published = 0
    for outbox_id, request_id in run_in_session(pending):
        request_id_var.set(request_id or "-")
        try:
            send_welcome(app, outbox_id, request_id)
        except Exception as exc:
            log.warning("relay could not publish outbox %s: %r", outbox_id, exc)
            break

        async def mark(session: AsyncSession, outbox_id: int = outbox_id) -> None:
            await OutboxRepository(session).mark_published(outbox_id)

        run_in_session(mark)
        published += 1
        log.info("relayed outbox %s", outbox_id)
    request_id_var.set("-")
    return published

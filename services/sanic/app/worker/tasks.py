"""Celery tasks: the welcome email (idempotent per outbox row) and the outbox relay.

A published job can still be lost by the broker (Redis without persistence drops its queues on a
restart), so the relay also publishes again a row still undelivered OUTBOX_REDELIVER_AFTER_SECONDS
after it was last handed to the broker. The email task holds the row lock across the SMTP send and
skips delivered rows, so a second copy never sends a second email.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from celery import Task
from celery.signals import task_postrun, task_prerun, task_retry
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import get_settings
from app.core.context import request_id_var
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


@task_retry.connect
def _restart_redelivery_clock(sender: Any = None, request: Any = None, **_: Any) -> None:
    """Celery has just published the retry: the job is in the broker again, so the relay must not
    publish a second copy while the retry waits out its countdown (at most 300 s)."""
    args = getattr(request, "args", None)
    if getattr(sender, "name", None) != send_welcome_email.name or not args:
        return
    outbox_id = int(args[0])

    async def mark(session: AsyncSession) -> None:
        await OutboxRepository(session).mark_republished(outbox_id)

    try:
        run_in_session(mark)
    except Exception as exc:
        # The relay may then publish it once more; the row lock still sends one email.
        log.warning("could not record the retry of outbox %s: %r", outbox_id, exc)


@app.task(name="app.worker.tasks.relay_outbox")
def relay_outbox() -> int:
    """Publish rows whose request could not reach the broker, then publish again rows still
    undelivered long after they were published (the broker lost them); runs every 5 s (beat)."""
    redeliver_after = timedelta(seconds=get_settings().outbox_redeliver_after_seconds)

    async def due(
        session: AsyncSession,
    ) -> tuple[list[tuple[int, str | None]], list[tuple[int, str | None, datetime | None]]]:
        repo = OutboxRepository(session)
        unpublished = await repo.unpublished(older_than=RELAY_AFTER, limit=RELAY_BATCH)
        lost = await repo.undelivered(
            published_before=utcnow() - redeliver_after, limit=RELAY_BATCH
        )
        return (
            [(row.id, row.request_id) for row in unpublished],
            [(row.id, row.request_id, row.published_at) for row in lost],
        )

    unpublished, lost = run_in_session(due)
    published = 0
    for outbox_id, request_id in unpublished:
        if not _publish(outbox_id, request_id, again=False):
            request_id_var.set("-")
            return published
        published += 1
        log.info("relayed outbox %s", outbox_id)
    for outbox_id, request_id, published_at in lost:
        if not _publish(outbox_id, request_id, again=True):
            break
        published += 1
        log.warning(
            "outbox %s published at %s is still undelivered (lost by the broker?); "
            "published it again",
            outbox_id,
            published_at,
        )
    request_id_var.set("-")
    return published


def _publish(outbox_id: int, request_id: str | None, *, again: bool) -> bool:
    """Hand one row to the broker and record it; `again` restarts a published row's clock."""
    request_id_var.set(request_id or "-")
    try:
        send_welcome(app, outbox_id, request_id)
    except Exception as exc:
        log.warning("relay could not publish outbox %s: %r", outbox_id, exc)
        return False

    async def mark(session: AsyncSession) -> None:
        repo = OutboxRepository(session)
        await (repo.mark_republished if again else repo.mark_published)(outbox_id)

    run_in_session(mark)
    return True

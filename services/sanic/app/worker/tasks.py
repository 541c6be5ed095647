"""Celery tasks: the welcome email (idempotent per outbox row) and the outbox relay."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from typing import Any

from celery import Task
from celery.signals import task_postrun, task_prerun, task_retry
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.config import get_settings
from app.core.context import request_id_var
from app.outbox.repository import OutboxRepository
from app.outbox.service import outbox_mark_delivered, outbox_mark_republished, outbox_relay
from app.worker.celery_app import celery_app
from app.worker.mail import send_message, welcome_message
from app.worker.runtime import run_in_session, run_with_sessions

log = logging.getLogger("app.worker.tasks")


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


@celery_app.task(
    name="users.send_welcome_email",
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
        mail = welcome_message(
            to=message.payload["email"],
            name=message.payload["name"],
            sender=settings.mail_from,
            request_id=message.request_id,
        )
        send_message(mail, host=settings.smtp_host, port=settings.smtp_port)
        await outbox_mark_delivered(session=session, message_id=outbox_id)
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
        await outbox_mark_republished(session=session, message_id=outbox_id)

    try:
        run_in_session(mark)
    except Exception as exc:
        # The relay may then publish it once more; the row lock still sends one email.
        log.warning("could not record the retry of outbox %s: %r", outbox_id, exc)


@celery_app.task(name="outbox.relay")
def relay_outbox() -> int:
    """The outbox relay (`outbox_relay`); Celery beat runs it every 5 s."""
    redeliver_after = timedelta(seconds=get_settings().outbox_redeliver_after_seconds)

    async def relay(sessions: async_sessionmaker[AsyncSession]) -> int:
        return await outbox_relay(
            celery=celery_app, sessions=sessions, redeliver_after=redeliver_after
        )

    return run_with_sessions(relay)

"""Celery tasks. Each runs its async body on a fresh event loop with an unpooled engine."""

import asyncio
import logging
import smtplib
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from celery import signals
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.config import get_settings
from app.core.context import request_id_var
from app.core.db import create_engine, create_sessionmaker
from app.outbox.repository import OutboxRepository
from app.outbox.service import outbox_mark_delivered, outbox_mark_republished, outbox_relay
from app.worker.celery_app import celery_app
from app.worker.mail import send_message, welcome_message

log = logging.getLogger(__name__)

RETRY_BACKOFF_MAX_SECONDS = 600


def _run[T](work: Callable[[async_sessionmaker[AsyncSession]], Awaitable[T]]) -> T:
    async def main() -> T:
        engine = create_engine(get_settings().database_url, pooled=False)
        try:
            return await work(create_sessionmaker(engine))
        finally:
            await engine.dispose()

    return asyncio.run(main())


async def deliver_welcome_email(sessions: async_sessionmaker[AsyncSession], outbox_id: int) -> bool:
    """Send once: the row stays locked while sending and is skipped once delivered."""
    settings = get_settings()
    async with sessions() as session:
        repo = OutboxRepository(session)
        message = await repo.get_for_update(outbox_id)
        if message is None or message.delivered_at is not None:
            log.info("outbox message %s already delivered or gone; skipping", outbox_id)
            return False
        if message.request_id and request_id_var.get() is None:
            request_id_var.set(message.request_id)
        email = welcome_message(
            to=message.payload["email"],
            name=message.payload["name"],
            sender=settings.mail_from,
            request_id=message.request_id,
        )
        await asyncio.to_thread(
            send_message, email, host=settings.smtp_host, port=settings.smtp_port
        )
        await outbox_mark_delivered(session=session, message=message)
    log.info("welcome email sent for outbox message %s", outbox_id)
    return True


@celery_app.task(
    name="users.send_welcome_email",
    autoretry_for=(smtplib.SMTPException, OSError, OperationalError),
    retry_backoff=True,
    retry_backoff_max=RETRY_BACKOFF_MAX_SECONDS,
    retry_jitter=True,
    max_retries=None,
)
def send_welcome_email(outbox_id: int) -> bool:
    return _run(lambda sessions: deliver_welcome_email(sessions, outbox_id))


@signals.task_retry.connect
def _restart_redelivery_clock(sender: Any = None, request: Any = None, **_: Any) -> None:
    """Celery has just published the retry: the job is in the broker again, so the relay must not
    publish a second copy while that retry waits out its countdown (at most
    RETRY_BACKOFF_MAX_SECONDS, below OUTBOX_REDELIVER_AFTER_SECONDS)."""
    args = getattr(request, "args", None)
    if getattr(sender, "name", None) != send_welcome_email.name or not args:
        return
    outbox_id = int(args[0])
    try:
        _run(lambda sessions: outbox_mark_republished(sessions=sessions, message_id=outbox_id))
    except Exception:
        # The relay may then publish it once more; the task's row lock still sends one email.
        log.warning("could not record the retry of outbox message %s", outbox_id, exc_info=True)


@celery_app.task(name="outbox.relay", ignore_result=True)
def relay_outbox() -> int:
    redeliver_after = timedelta(seconds=get_settings().outbox_redeliver_after_seconds)
    return _run(lambda sessions: outbox_relay(sessions=sessions, redeliver_after=redeliver_after))

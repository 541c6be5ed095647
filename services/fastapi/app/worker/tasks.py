"""Celery tasks. Each runs its async body on a fresh event loop with an unpooled engine."""

import asyncio
import logging
import smtplib
from collections.abc import Awaitable, Callable

from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.config import get_settings
from app.core.db import create_engine, session_factory, utcnow
from app.core.logging import request_id_var
from app.outbox.repository import OutboxRepository
from app.outbox.service import outbox_relay
from app.worker.celery_app import celery_app
from app.worker.mail import send_message, welcome_message

log = logging.getLogger(__name__)

RETRY_BACKOFF_MAX_SECONDS = 600


def _run[T](work: Callable[[async_sessionmaker[AsyncSession]], Awaitable[T]]) -> T:
    async def main() -> T:
        engine = create_engine(get_settings().database_url, pooled=False)
        try:
            return await work(session_factory(engine))
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
        message.delivered_at = utcnow()
        if message.published_at is None:
            message.published_at = message.delivered_at
        await session.commit()
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


@celery_app.task(name="outbox.relay", ignore_result=True)
def relay_outbox() -> int:
    return _run(lambda sessions: outbox_relay(sessions=sessions))

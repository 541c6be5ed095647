"""Transactional outbox: jobs are rows first, broker messages second.

A row is written with the change that causes it; after commit the API tries to publish it once
(short broker timeout, failures only logged), and the worker's periodic relay publishes any row
still unpublished. A published row can still be lost by the broker (a Redis restart without
persistence drops its queues), so the relay also publishes again a row that is still undelivered
`OUTBOX_REDELIVER_AFTER_SECONDS` after it was last handed to the broker. The task itself is
idempotent (it locks the row and skips delivered rows), so a second copy never sends twice.
"""

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.concurrency import run_in_threadpool

from app.core.context import request_id_var
from app.core.db import utcnow
from app.outbox.models import OutboxMessage
from app.outbox.repository import OutboxRepository
from app.worker.celery_app import celery_app

log = logging.getLogger(__name__)

# Rows younger than this are left to the API's own publish attempt.
RELAY_GRACE = timedelta(seconds=5)
RELAY_BATCH = 100

TASK_FOR_KIND = {"welcome_email": "users.send_welcome_email"}


def publish_task(task_name: str, message_id: int, request_id: str | None) -> None:
    """Publish by task name; blocking, raises when the broker does not accept the message.

    kombu would otherwise retry the connection forever; one attempt (bounded by the broker
    timeouts in `celery_app`) is enough because the outbox relay publishes whatever fails here.
    """
    with celery_app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=0)
        celery_app.send_task(
            task_name,
            args=[message_id],
            headers={"request_id": request_id or request_id_var.get()},
            connection=connection,
            retry=False,
        )


async def outbox_enqueue(
    *, session: AsyncSession, kind: str, payload: dict[str, Any], request_id: str | None
) -> OutboxMessage:
    return await OutboxRepository(session).add(kind=kind, payload=payload, request_id=request_id)


async def _publish(message_id: int, kind: str, request_id: str | None) -> bool:
    try:
        await run_in_threadpool(publish_task, TASK_FOR_KIND[kind], message_id, request_id)
    except Exception:
        log.warning(
            "broker unavailable; outbox message %s left for the relay", message_id, exc_info=True
        )
        return False
    return True


async def outbox_publish(
    *,
    sessions: async_sessionmaker[AsyncSession],
    message_id: int,
    kind: str,
    request_id: str | None,
) -> None:
    """Publish one committed row now; never raises (the relay is the safety net)."""
    if not await _publish(message_id, kind, request_id):
        return
    try:
        async with sessions() as session:
            await OutboxRepository(session).mark_published(message_id, utcnow())
            await session.commit()
    except Exception:
        log.warning("could not mark outbox message %s published", message_id, exc_info=True)


async def outbox_mark_republished(
    *, sessions: async_sessionmaker[AsyncSession], message_id: int
) -> None:
    """The job went back to the broker (a Celery retry): the relay's clock starts again."""
    async with sessions() as session:
        await OutboxRepository(session).mark_republished(message_id, utcnow())
        await session.commit()


async def outbox_mark_delivered(*, session: AsyncSession, message: OutboxMessage) -> None:
    """The job is done: commit it on the row the task has held locked while sending."""
    message.delivered_at = utcnow()
    if message.published_at is None:
        message.published_at = message.delivered_at
    await session.commit()


async def outbox_relay(
    *, sessions: async_sessionmaker[AsyncSession], redeliver_after: timedelta
) -> int:
    """Publish every row still unpublished after the grace period, and again every row published
    more than `redeliver_after` ago and still undelivered; returns how many were published."""
    async with sessions() as session:
        repo = OutboxRepository(session)
        now = utcnow()
        pending = await repo.unpublished(created_before=now - RELAY_GRACE, limit=RELAY_BATCH)
        stale = await repo.undelivered(published_before=now - redeliver_after, limit=RELAY_BATCH)
        published = 0
        broker_up = True
        for message in pending:
            if not await _publish(message.id, message.kind, message.request_id):
                broker_up = False
                break
            await repo.mark_published(message.id, utcnow())
            published += 1
        for message in stale if broker_up else ():
            if not await _publish(message.id, message.kind, message.request_id):
                break
            await repo.mark_republished(message.id, utcnow())
            published += 1
            log.warning(
                "outbox message %s published at %s is still undelivered (lost by the broker?); "
                "published it again",
                message.id,
                message.published_at,
            )
        await session.commit()
    if published:
        log.info("relay published %d outbox message(s)", published)
    return published

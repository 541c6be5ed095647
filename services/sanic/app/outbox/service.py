"""Transactional outbox: jobs are rows first, broker messages second.

A row is written with the change that causes it; after commit the API tries to publish it once
(no retry; failures only logged), and the worker's periodic relay publishes any row still
unpublished. A published row can still be lost by the broker (Redis without persistence drops its
queues on a restart), so the relay also publishes again a row still undelivered
OUTBOX_REDELIVER_AFTER_SECONDS after it was last handed to the broker. The email task holds the
row lock across the SMTP send and skips delivered rows, so a second copy never sends twice.
Jobs are published by task name: nothing here imports the worker's tasks.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from celery import Celery
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.context import request_id_var
from app.core.db import utcnow
from app.outbox.models import OutboxMessage
from app.outbox.repository import WELCOME_EMAIL, OutboxRepository

log = logging.getLogger("app.outbox")
TASK_FOR_KIND = {WELCOME_EMAIL: "users.send_welcome_email"}
# Rows younger than this are left to the API's own publish attempt.
RELAY_AFTER = timedelta(seconds=10)
RELAY_BATCH = 100


def publish_task(celery: Celery, kind: str, message_id: int, request_id: str | None) -> None:
    """Blocking: publish one job by task name (no retry loop; the relay retries)."""
    celery.send_task(
        TASK_FOR_KIND[kind], args=[message_id], headers={"request_id": request_id}, retry=False
    )


async def outbox_enqueue(
    *, session: AsyncSession, kind: str, payload: dict[str, Any], request_id: str | None
) -> OutboxMessage:
    return await OutboxRepository(session).add(kind=kind, payload=payload, request_id=request_id)


async def _publish(celery: Celery, kind: str, message_id: int, request_id: str | None) -> bool:
    """No asyncio timeout around the thread: it cannot be cancelled, so a timeout would only
    leave a job that *was* published unmarked (and the relay would publish it again). The
    broker client's own connect/socket timeouts bound it instead."""
    try:
        await asyncio.to_thread(publish_task, celery, kind, message_id, request_id)
    except Exception as exc:
        log.warning("broker unavailable, outbox %s left to the relay: %r", message_id, exc)
        return False
    return True


async def outbox_publish(
    *,
    celery: Celery,
    sessions: async_sessionmaker[AsyncSession],
    message_id: int,
    kind: str,
    request_id: str | None,
) -> bool:
    """Publish one committed row now; True when the broker took it. Never raises."""
    if not await _publish(celery, kind, message_id, request_id):
        return False
    async with sessions.begin() as session:
        await OutboxRepository(session).mark_published(message_id)
    return True


async def outbox_mark_republished(*, session: AsyncSession, message_id: int) -> None:
    """The job is in the broker again (relayed again, or a Celery retry): restart its clock."""
    await OutboxRepository(session).mark_republished(message_id)


async def outbox_mark_delivered(*, session: AsyncSession, message_id: int) -> None:
    await OutboxRepository(session).mark_delivered(message_id)


async def outbox_relay(
    *, celery: Celery, sessions: async_sessionmaker[AsyncSession], redeliver_after: timedelta
) -> int:
    """Publish rows whose request could not reach the broker, then publish again rows still
    undelivered long after they were published (the broker lost them); returns how many."""
    async with sessions() as session:
        repo = OutboxRepository(session)
        unpublished = await repo.unpublished(older_than=RELAY_AFTER, limit=RELAY_BATCH)
        lost = await repo.undelivered(
            published_before=utcnow() - redeliver_after, limit=RELAY_BATCH
        )
    published = 0
    try:
        for message in unpublished:
            request_id_var.set(message.request_id or "-")
            if not await _publish(celery, message.kind, message.id, message.request_id):
                return published
            async with sessions.begin() as session:
                await OutboxRepository(session).mark_published(message.id)
            published += 1
            log.info("relayed outbox %s", message.id)
        for message in lost:
            request_id_var.set(message.request_id or "-")
            if not await _publish(celery, message.kind, message.id, message.request_id):
                break
            async with sessions.begin() as session:
                await outbox_mark_republished(session=session, message_id=message.id)
            published += 1
            log.warning(
                "outbox %s published at %s is still undelivered (lost by the broker?); "
                "published it again",
                message.id,
                message.published_at,
            )
    finally:
        request_id_var.set("-")
    return published


@dataclass
class OutboxPublisher:
    """Injected into the create handlers: publishes a committed row after the response."""

    celery: Celery
    sessionmaker: async_sessionmaker[AsyncSession]

    async def publish(
        self, message_id: int, request_id: str | None, kind: str = WELCOME_EMAIL
    ) -> bool:
        return await outbox_publish(
            celery=self.celery,
            sessions=self.sessionmaker,
            message_id=message_id,
            kind=kind,
            request_id=request_id,
        )

"""After commit, hand outbox rows to the broker at once; the worker's relay catches failures."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from celery import Celery
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.outbox.repository import OutboxRepository

log = logging.getLogger("app.outbox")
WELCOME_TASK = "app.worker.tasks.send_welcome_email"


def send_welcome(celery: Celery, message_id: int, request_id: str | None) -> None:
    """Blocking: publish one welcome-email job (no retry loop; the relay retries)."""
    celery.send_task(
        WELCOME_TASK,
        args=[message_id],
        headers={"request_id": request_id},
        retry=False,
    )


@dataclass
class OutboxPublisher:
    celery: Celery
    sessionmaker: async_sessionmaker[AsyncSession]

    async def publish(self, message_id: int, request_id: str | None) -> bool:
        """True when the broker accepted the job; a failure is logged, never raised.

        No asyncio timeout around the thread: it cannot be cancelled, so a timeout would only
        leave a job that *was* published unmarked (and the relay would publish it again). The
        broker client's own connect/socket timeouts bound it instead.
        """
        try:
            await asyncio.to_thread(send_welcome, self.celery, message_id, request_id)
        except Exception as exc:
            log.warning("broker unavailable, outbox %s left to the relay: %r", message_id, exc)
            return False
        async with self.sessionmaker.begin() as session:
            await OutboxRepository(session).mark_published(message_id)
        return True

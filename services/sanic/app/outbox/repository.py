"""Data access for the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import utcnow
from app.outbox.models import OutboxMessage

WELCOME_EMAIL = "welcome_email"


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self, *, kind: str, payload: dict[str, Any], request_id: str | None
    ) -> OutboxMessage:
        message = OutboxMessage(
            kind=kind, payload=payload, request_id=request_id, created_at=utcnow()
        )
        self.session.add(message)
        await self.session.flush()
        return message

    async def get_locked(self, message_id: int) -> OutboxMessage | None:
        """The row, locked until the transaction ends.

        PostgreSQL locks the row (FOR UPDATE). SQLite ignores FOR UPDATE; a no-op write first takes
        its database write lock instead, held until the transaction ends just the same.
        """
        if self.session.get_bind().dialect.name == "sqlite":
            await self.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id)
                .values(delivered_at=OutboxMessage.delivered_at)
            )
        query = select(OutboxMessage).where(OutboxMessage.id == message_id).with_for_update()
        return await self.session.scalar(query)

    async def mark_published(self, message_id: int, when: datetime | None = None) -> None:
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.published_at.is_(None))
            .values(published_at=when or utcnow())
        )

    async def mark_republished(self, message_id: int) -> None:
        """The job is in the broker again (relayed again, or a Celery retry): restart its clock."""
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.delivered_at.is_(None))
            .values(published_at=utcnow())
        )

    async def mark_delivered(self, message_id: int) -> None:
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(delivered_at=utcnow())
        )

    async def unpublished(self, *, older_than: timedelta, limit: int) -> Sequence[OutboxMessage]:
        """Rows nobody published: the request's own publish failed (or has not run yet)."""
        cutoff = utcnow() - older_than
        query = (
            select(OutboxMessage)
            .where(
                OutboxMessage.published_at.is_(None),
                OutboxMessage.delivered_at.is_(None),
                OutboxMessage.created_at <= cutoff,
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        return (await self.session.scalars(query)).all()

    async def undelivered(
        self, *, published_before: datetime, limit: int
    ) -> Sequence[OutboxMessage]:
        """Rows handed to the broker before `published_before` and still not delivered: lost by
        the broker (or still retrying, which restarts the clock on every retry)."""
        query = (
            select(OutboxMessage)
            .where(
                OutboxMessage.delivered_at.is_(None),
                OutboxMessage.published_at.is_not(None),
                OutboxMessage.published_at < published_before,
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        return (await self.session.scalars(query)).all()

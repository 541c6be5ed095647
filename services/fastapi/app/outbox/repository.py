from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.outbox.models import OutboxMessage


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self, *, kind: str, payload: dict[str, Any], request_id: str | None
    ) -> OutboxMessage:
        message = OutboxMessage(kind=kind, payload=payload, request_id=request_id)
        self.session.add(message)
        await self.session.flush()
        return message

    async def get_for_update(self, message_id: int) -> OutboxMessage | None:
        query = select(OutboxMessage).where(OutboxMessage.id == message_id).with_for_update()
        return await self.session.scalar(query)

    async def unpublished(self, *, created_before: datetime, limit: int) -> Sequence[OutboxMessage]:
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.published_at.is_(None), OutboxMessage.created_at < created_before)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        return (await self.session.scalars(query)).all()

    async def undelivered(
        self, *, published_before: datetime, limit: int
    ) -> Sequence[OutboxMessage]:
        """Rows handed to the broker before `published_before` and still not delivered."""
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

    async def mark_republished(self, message_id: int, when: datetime) -> None:
        """The job is in the broker again (relayed again, or a retry): restart its clock."""
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.delivered_at.is_(None))
            .values(published_at=when)
        )

    async def mark_published(self, message_id: int, when: datetime) -> None:
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.published_at.is_(None))
            .values(published_at=when)
        )

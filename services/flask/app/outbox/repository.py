"""Every query on the outbox table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.outbox.models import OutboxMessage


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, *, kind: str, payload: dict[str, Any], request_id: str) -> OutboxMessage:
        message = OutboxMessage(
            kind=kind, payload=payload, request_id=request_id, created_at=datetime.now(UTC)
        )
        self.session.add(message)
        return message

    def get_for_delivery(self, message_id: int) -> OutboxMessage | None:
        """The row, locked until commit: a second delivery of the message waits, then skips.

        PostgreSQL locks the row (FOR UPDATE). SQLite ignores FOR UPDATE; a no-op write first takes
        its database write lock instead, held until commit just the same.
        """
        if self.session.get_bind().dialect.name == "sqlite":
            self.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id)
                .values(delivered_at=OutboxMessage.delivered_at)
            )
        stmt = select(OutboxMessage).where(OutboxMessage.id == message_id).with_for_update()
        return self.session.scalars(stmt).first()

    def mark_published(self, message_id: int) -> None:
        self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(published_at=datetime.now(UTC))
        )

    def mark_republished(self, message_id: int) -> None:
        """The job is in the broker again (relayed again, or a Celery retry): restart its clock."""
        self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.delivered_at.is_(None))
            .values(published_at=datetime.now(UTC))
        )

    def undelivered(self, *, published_before: datetime, limit: int = 100) -> list[OutboxMessage]:
        """Rows handed to the broker before `published_before` and still not delivered."""
        stmt = (
            select(OutboxMessage)
            .where(
                OutboxMessage.delivered_at.is_(None),
                OutboxMessage.published_at.is_not(None),
                OutboxMessage.published_at < published_before,
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        return list(self.session.scalars(stmt))

    def unpublished(self, *, older_than: timedelta, limit: int = 100) -> list[OutboxMessage]:
        cutoff = datetime.now(UTC) - older_than
        stmt = (
            select(OutboxMessage)
            .where(OutboxMessage.published_at.is_(None), OutboxMessage.created_at < cutoff)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        return list(self.session.scalars(stmt))

"""Transactional outbox: jobs are rows written with the data, published after commit."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Integer, String, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core.db import Base

log = logging.getLogger(__name__)

WELCOME_EMAIL = "welcome_email"


class OutboxMessage(Base):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    request_id: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


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
        # On PostgreSQL the row lock keeps two deliveries of one message from both sending.
        stmt = select(OutboxMessage).where(OutboxMessage.id == message_id).with_for_update()
        return self.session.scalars(stmt).first()

    def mark_published(self, message_id: int) -> None:
        self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(published_at=datetime.now(UTC))
        )

    def unpublished(self, *, older_than: timedelta, limit: int = 100) -> list[OutboxMessage]:
        cutoff = datetime.now(UTC) - older_than
        stmt = (
            select(OutboxMessage)
            .where(OutboxMessage.published_at.is_(None), OutboxMessage.created_at < cutoff)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        return list(self.session.scalars(stmt))

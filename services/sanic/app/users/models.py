from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Identity, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigIntPK, UTCDateTime


class Role(StrEnum):
    USER = "user"
    ADMIN = "admin"


class Status(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        Index("ix_users_created_at", "created_at", "public_id"),
        {"sqlite_autoincrement": True},  # never reuse a deleted user's id
    )

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    public_id: Mapped[uuid.UUID] = mapped_column(Uuid(), unique=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.USER)
    status: Mapped[str] = mapped_column(String(16), default=Status.ACTIVE)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def etag(self) -> str:
        return f'"{self.public_id}.{self.version}"'

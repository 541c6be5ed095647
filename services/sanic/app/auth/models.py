from __future__ import annotations

from datetime import datetime

from sqlalchemy import Identity, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigIntPK, UTCDateTime


class LoginFailure(Base):
    """One failed login; the rate limit counts these, so it holds across processes."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_email_failed_at", "email", "failed_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime())

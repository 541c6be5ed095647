"""Data access for failed logins (the rate limit's state, shared by every process)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import LoginFailure


class LoginFailureRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def recent(self, email: str, since: datetime) -> Sequence[datetime]:
        query = (
            select(LoginFailure.failed_at)
            .where(LoginFailure.email == email, LoginFailure.failed_at > since)
            .order_by(LoginFailure.failed_at)
        )
        return (await self.session.scalars(query)).all()

    async def add(self, email: str, when: datetime) -> None:
        self.session.add(LoginFailure(email=email, failed_at=when))
        await self.session.flush()

    async def prune(self, email: str, before: datetime) -> None:
        await self.session.execute(
            delete(LoginFailure).where(LoginFailure.email == email, LoginFailure.failed_at < before)
        )

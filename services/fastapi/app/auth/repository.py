from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import LoginFailure


class LoginFailureRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def recent(self, email: str, since: datetime) -> tuple[int, datetime | None]:
        """How many failures since `since`, and the oldest of them."""
        query = select(func.count(), func.min(LoginFailure.failed_at)).where(
            LoginFailure.email == email, LoginFailure.failed_at > since
        )
        count, oldest = (await self.session.execute(query)).one()
        return int(count), oldest

    async def add(self, email: str, when: datetime) -> None:
        self.session.add(LoginFailure(email=email, failed_at=when))
        await self.session.flush()

    async def prune(self, email: str, before: datetime) -> None:
        await self.session.execute(
            delete(LoginFailure).where(
                LoginFailure.email == email, LoginFailure.failed_at <= before
            )
        )

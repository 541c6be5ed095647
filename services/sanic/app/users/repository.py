"""Data access for users: the only module that builds user queries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.users.models import User


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: int, *, for_update: bool = False) -> User | None:
        return await self.session.get(
            User, user_id, with_for_update=for_update, populate_existing=for_update
        )

    async def get_by_public_id(
        self, public_id: uuid.UUID, *, for_update: bool = False
    ) -> User | None:
        query = select(User).where(User.public_id == public_id)
        if for_update:
            query = query.with_for_update().execution_options(populate_existing=True)
        return await self.session.scalar(query)

    async def get_by_email(self, email: str) -> User | None:
        return await self.session.scalar(select(User).where(User.email == email))

    async def email_taken(self, email: str, *, excluding: int | None = None) -> bool:
        query = select(User.id).where(User.email == email)
        if excluding is not None:
            query = query.where(User.id != excluding)
        return (await self.session.scalar(query)) is not None

    async def add(self, user: User) -> User:
        self.session.add(user)
        await self.session.flush()
        return user

    async def delete(self, user: User) -> None:
        await self.session.delete(user)
        await self.session.flush()

    async def count(self) -> int:
        return int(await self.session.scalar(select(func.count()).select_from(User)) or 0)

    async def page_by_id(self, *, offset: int, limit: int) -> Sequence[User]:
        query = select(User).order_by(User.id).offset(offset).limit(limit)
        return (await self.session.scalars(query)).all()

    async def page_by_creation(
        self,
        *,
        after: tuple[datetime, uuid.UUID] | None,
        limit: int,
        status: str | None,
        email: str | None,
    ) -> Sequence[User]:
        query = select(User)
        if after is not None:
            created_at, public_id = after
            query = query.where(
                or_(
                    User.created_at > created_at,
                    and_(User.created_at == created_at, User.public_id > public_id),
                )
            )
        if status is not None:
            query = query.where(User.status == status)
        if email is not None:
            query = query.where(User.email == email)
        query = query.order_by(User.created_at, User.public_id).limit(limit)
        return (await self.session.scalars(query)).all()

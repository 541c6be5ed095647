"""Data access for users: the only module that builds user queries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.users.models import Status, User


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: int, *, for_update: bool = False) -> User | None:
        if not for_update:
            return await self.session.get(User, user_id)
        return await self._locked(User.id == user_id)

    async def get_by_public_id(
        self, public_id: uuid.UUID, *, for_update: bool = False
    ) -> User | None:
        if for_update:
            return await self._locked(User.public_id == public_id)
        return await self.session.scalar(select(User).where(User.public_id == public_id))

    async def _locked(self, where: ColumnElement[bool]) -> User | None:
        """The row, locked until the transaction ends, as it is now (not the identity map's copy).

        PostgreSQL locks the row (FOR UPDATE). SQLite ignores FOR UPDATE; a no-op write first
        takes its database write lock instead, held until the transaction ends just the same.
        """
        if self.session.get_bind().dialect.name == "sqlite":
            await self.session.execute(update(User).where(where).values(version=User.version))
        query = select(User).where(where).with_for_update()
        return await self.session.scalar(query.execution_options(populate_existing=True))

    async def get_by_email(self, email: str) -> User | None:
        return await self.session.scalar(select(User).where(User.email == email))

    async def add(self, user: User) -> User:
        self.session.add(user)
        await self.session.flush()
        return user

    async def delete(self, user: User) -> None:
        await self.session.delete(user)
        await self.session.flush()

    async def replace_password_hash(self, *, user_id: int, old: str, new: str) -> None:
        await self.session.execute(
            update(User)
            .where(User.id == user_id, User.password_hash == old)
            .values(password_hash=new)
        )

    async def count(self) -> int:
        return int(await self.session.scalar(select(func.count()).select_from(User)) or 0)

    async def list_by_id(self, *, offset: int, limit: int) -> Sequence[User]:
        query = select(User).order_by(User.id).offset(offset).limit(limit)
        return (await self.session.scalars(query)).all()

    async def list_by_creation(
        self,
        *,
        after: tuple[datetime, uuid.UUID] | None,
        limit: int,
        status: Status | None,
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
